package io.ipcarc.kafka;

import static io.ipcarc.kafka.SharedBroker.broker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.SharedView;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import io.ipcarc.testing.ShmSandbox;
import io.ipcarc.testing.Snippets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three runs of the Kafka forwarder, each a lossless or lossy writer and a forwarder
 * in separate JVMs against the real broker the module's tests share, ending with a read_committed
 * consumer that checks every sequence: SIGKILLs of the forwarder, the broker stopped for 10 s,
 * and a lossy writer that laps the ring while the broker is down.
 */
@Timeout(300)
@ExtendWith(SharedBroker.class)
class KafkaRingForwarderSystemTest {
    private static final int N = 200_000;
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Pattern RESUMED = Pattern.compile("resuming at seq=(\\d+) \\(stored=(\\d+)");
    private static final Pattern LOST = Pattern.compile("reporter: LOST seq (\\d+)\\.\\.(\\d+) .*");

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();


    @Test
    void reporterHaltedAfterACommitAndSigkilledThreeTimesAtRandomMomentsForwardsEverySequenceExactlyOnceInOrder() {
        String topic = topic();
        String name = sandbox.name("kafka-kill");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("kill test: seed=" + seed);
        ChildJvm writer = writer(name, N, 40_000, "lossless", 16_384);
        try (Ring<byte[]> ring = Ring.open(name, ForwarderChild.ENTRY, LONG)) {
            // First a crash at the named point between the Kafka commit and the position store.
            ChildJvm halted = reporter(name, topic, 3_000, "2");
            halted.awaitLine("HALT after Kafka commit 2", LONG);
            assertThat(halted.awaitExit(LONG)).isEqualTo(137);
            show(halted);
            ChildJvm reporter = reporter(name, topic, 3_000);
            Matcher resumed = RESUMED.matcher(reporter.awaitLine("reporter: ring=", LONG));
            assertThat(resumed.find()).isTrue();
            assertThat(Long.parseLong(resumed.group(1))).as("resumes after the committed tail, ahead of the stored position")
                    .isGreaterThan(Long.parseLong(resumed.group(2)));
            for (int k = 0; k < 3; k++) {
                long at = k * 55_000L + random.nextInt(45_000);
                long delayMs = random.nextInt(400);
                await("reporter committed " + at).atMost(LONG).until(() -> ring.readerPosition(0) >= at);
                await().pollDelay(Duration.ofMillis(delayMs)).atMost(Duration.ofSeconds(5)).until(() -> true);
                System.out.println("kill " + (k + 1) + " at committed position " + ring.readerPosition(0) + " (threshold " + at
                        + " + " + delayMs + " ms)");
                reporter.kill();
                show(reporter);
                reporter = reporter(name, topic, 3_000);
            }
            await("all committed").atMost(LONG).until(() -> ring.readerPosition(0) == N);
            writer.awaitLine("WRITER done next=" + N, LONG);
            // When the killed reporter had already forwarded everything (a kill late in its random
            // delay), all is committed before the last one has even started: its start line is waited for.
            reporter.awaitLine("reporter: ring=", LONG);
            assertThat(reporter.count("reporter: ring=")).as("the last reporter started once").isEqualTo(1);
        }
        assertExactly(committed(topic), 0, N, List.of());
    }

    @Test
    void brokerStoppedForTenSecondsMidRunAndRestartedLosesAndDuplicatesNothing() {
        String topic = topic();
        String name = sandbox.name("kafka-outage");
        ChildJvm writer = writer(name, N, 20_000, "lossless", 16_384);
        try (Ring<byte[]> ring = Ring.open(name, ForwarderChild.ENTRY, LONG)) {
            ChildJvm reporter = reporter(name, topic, 10_000);
            await("reporter committed 50,000").atMost(LONG).until(() -> ring.readerPosition(0) >= 50_000);
            broker().stop();
            long stoppedAt = ring.readerPosition(0);
            try {
                // 10 s down: the reporter holds its position, so the lossless writer stops a ring ahead of it.
                await("the lossless writer waits").pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20))
                        .until(() -> ring.writePosition() <= ring.readerPosition(0) + ring.capacity());
                assertThat(ring.readerPosition(0)).as("no commit while the broker is down").isLessThanOrEqualTo(stoppedAt + 10_000);
            } finally {
                broker().restart();
            }
            awaitShowing(reporter, writer, "all committed", () -> ring.readerPosition(0) == N);
            writer.awaitLine("WRITER done next=" + N, LONG);
            assertThat(reporter.count("reporter: kafka unavailable")).as("outage logged, once per interval (2 s here)")
                    .isBetween(1L, 30L);
            reporter.awaitLine("reporter: kafka back after", LONG);
            show(reporter);
        }
        assertExactly(committed(topic), 0, N, List.of());
    }

    @Test
    void lossyWriterLappingTheRingWhileTheBrokerIsDownReportsTheLostRangeAndTheRestIsExact() {
        String topic = topic();
        String name = sandbox.name("kafka-lossy");
        int capacity = 1024;
        int count = 60_000;
        ChildJvm writer = writer(name, count, 4_000, "lossy", capacity);
        ChildJvm reporter;
        try (Ring<byte[]> ring = Ring.open(name, ForwarderChild.ENTRY, LONG)) {
            reporter = reporter(name, topic, 10_000);
            await("reporter committed 5,000").atMost(LONG).until(() -> ring.readerPosition(0) >= 5_000);
            broker().stop();
            try {
                long down = ring.readerPosition(0);
                await("the writer laps the ring twice while the broker is down").atMost(LONG)
                        .until(() -> ring.writePosition() > down + 2L * capacity);
            } finally {
                broker().restart();
            }
            writer.awaitLine("WRITER done next=" + count, LONG);
            await("all committed").atMost(LONG).until(() -> ring.readerPosition(0) == count);
            assertThat(ring.readerLost(0)).as("entries lost").isPositive();
        }
        show(reporter);
        List<long[]> lost = new ArrayList<>();
        for (String line : reporter.lines()) {
            Matcher m = LOST.matcher(line);
            if (m.matches()) {
                lost.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) + 1});
            }
        }
        assertThat(lost).as("lost ranges reported: " + reporter.lines()).isNotEmpty();
        assertExactly(committed(topic), 0, count, lost);
    }

    @Test
    void javadocSnippetForwardsARingUntilItsConditionTurnsFalse() throws InterruptedException {
        String name = sandbox.name("kafka-snippet");
        String topic = topic();
        String bootstrap = broker().bootstrapServers();
        try (Ring<Long> source = Ring.create(name, Long.class, RingOptions.defaults().withReservedReaders(0));
             RingWriter<Long> writer = source.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < 1_000; i++) {
                writer.publish(i * 10);
            }
            // the snippet of KafkaRingForwarder's javadoc
            try (Ring<Long> ring = Ring.open(name, Long.class, Duration.ofMinutes(1));
                 KafkaRingForwarder<Long> forwarder = KafkaRingForwarder.builder(ring, 0)
                         .bootstrapServers(bootstrap).topic(topic).build()) {
                forwarder.run(() -> forwarder.committedPosition() < 1_000); // or until your shutdown flag is set
            }
            assertThat(source.readerPosition(0)).isEqualTo(1_000);
        }
        List<ConsumerRecord<byte[], byte[]>> records = committed(topic);
        assertThat(records).hasSize(1_000);
        for (int i = 0; i < records.size(); i++) {
            assertThat(RecordFormat.u64(records.get(i).key())).isEqualTo(i);
            assertThat(SharedView.wrap(records.get(i).value()).getLong(0)).as("the entry's bytes, native order").isEqualTo(i * 10L);
        }
    }

    @Test
    void shouldHoldEverySnippetOfTheDocumentation() {
        List<List<String>> snippets = Snippets.javadoc(Path.of("src/main/java/io/ipcarc/kafka/KafkaRingForwarder.java"));
        assertThat(snippets).hasSize(1);
        assertThat(Snippets.appearsIn(snippets.get(0), Path.of("src/test/java/io/ipcarc/kafka/KafkaRingForwarderSystemTest.java")))
                .as("the javadoc snippet runs in this test:%n%s", String.join("\n", snippets.get(0))).isTrue();
        List<List<String>> doc = Snippets.markdown(Path.of("../docs/kafka.md"), "## Use");
        assertThat(doc).hasSize(1);
        assertThat(doc.get(0)).as("docs/kafka.md shows the javadoc's snippet").isEqualTo(snippets.get(0));
    }

    private static String topic() {
        String t = "forward-" + ProcessHandle.current().pid() + "-" + TOPICS.incrementAndGet();
        broker().createTopic(t, 1);
        return t;
    }

    private ChildJvm writer(String name, long count, long rate, String mode, int capacity) {
        ChildJvm w = sandbox.add(ChildJvm.start(ForwarderChild.class, "writer", name, Long.toString(count), Long.toString(rate),
                mode, Integer.toString(capacity)));
        w.awaitLine("WRITER started", ShmSandbox.START);
        return w;
    }

    private ChildJvm reporter(String name, String topic, int perTransaction, String... more) {
        List<String> args = new ArrayList<>(List.of("reporter", name, broker().bootstrapServers(), topic,
                Integer.toString(perTransaction)));
        args.addAll(List.of(more));
        ChildJvm r = sandbox.add(ChildJvm.start(List.of("-Xmx256m"), ForwarderChild.class, args.toArray(String[]::new)));
        r.awaitLine("REPORTER claimed", ShmSandbox.START);
        return r;
    }

    /**
     * Awaits a condition; if it times out, prints everything the reporter and the writer printed
     * (the failure is otherwise only "not fulfilled"), then fails.
     */
    private static void awaitShowing(ChildJvm reporter, ChildJvm writer, String alias, Callable<Boolean> condition) {
        try {
            await(alias).atMost(LONG).until(condition);
        } catch (ConditionTimeoutException e) {
            System.out.println("reporter " + reporter + " printed:");
            reporter.lines().forEach(l -> System.out.println("  | " + l));
            System.out.println("writer " + writer + " printed:");
            writer.lines().forEach(l -> System.out.println("  | " + l));
            throw e;
        }
    }

    /** Prints what a reporter logged (its own lines, not the Kafka client's), for the test's report. */
    private static void show(ChildJvm reporter) {
        reporter.lines().stream().filter(l -> l.startsWith("reporter:")).forEach(l -> System.out.println("  " + l));
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return broker().readAll(topic, IsolationLevel.READ_COMMITTED);
    }

    /**
     * Checks that the records hold exactly the sequences {@code from..to-1} outside the lost
     * ranges, each once, in order, with the entry's bytes and the three headers.
     */
    private static void assertExactly(List<ConsumerRecord<byte[], byte[]>> records, long from, long to, List<long[]> lost) {
        List<Long> expected = new ArrayList<>();
        for (long s = from; s < to; s++) {
            boolean gone = false;
            for (long[] r : lost) {
                gone |= s >= r[0] && s < r[1];
            }
            if (!gone) {
                expected.add(s);
            }
        }
        List<Long> seen = new ArrayList<>();
        long bad = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            RecordOrigin o = RecordOrigin.of(r.headers());
            long seq = RecordFormat.u64(r.key());
            seen.add(seq);
            if (o == null || o.seq() != seq || !ForwarderChild.check(r.value(), seq)) {
                bad++;
            }
        }
        assertThat(bad).as("records whose headers or value do not match their key").isZero();
        assertThat(seen.size()).as("records").isEqualTo(expected.size());
        assertThat(seen).as("every sequence once, in order").isEqualTo(expected);
    }
}
