package io.ipcarc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.SharedView;
import io.ipcarc.kafka.RecordFormat;
import io.ipcarc.kafka.TopicNames;
import io.ipcarc.kafka.broker.LocalKafkaBroker;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import io.ipcarc.testing.ShmSandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code reporter --kafka} as a user meets it (docs/kafka.md): an illegal topic is a usage error
 * before the ring is read; against a real broker, a missing topic is exit 2 at once, the status
 * line keeps coming while the broker does not answer, SIGTERM then stops it with exit 0, and a
 * restart forwards every tick exactly once.
 */
@Timeout(300)
class KafkaReporterAppTest {
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final RingOptions RING = RingOptions.defaults().withCapacity(4096).withReservedReaders(0);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void anIllegalTopicIsExitTwoWithOneLineNamingTopicAndRuleBeforeTheRingIsRead() throws InterruptedException {
        String name = sandbox.name("kafka-app-badtopic");
        try (Ring<Tick> ring = Ring.create(name, Tick.TYPE, RING);
             RingWriter<Tick> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
            publish(writer, 0, 10);
            for (String topic : new String[] {"bad topic!", "t".repeat(260), ".."}) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.run(new String[] {"reporter", "0", "--name", name, "--kafka", "127.0.0.1:9", "--topic", topic},
                        new PrintWriter(out, true), new PrintWriter(err, true));
                assertThat(code).as(topic).isEqualTo(2);
                assertThat(out.toString()).as(topic).isEmpty();
                assertThat(err.toString().lines().toList()).as(topic).singleElement().asString()
                        .startsWith("usage error: reporter: --topic: illegal Kafka topic name: topic=\"" + topic + "\", cause=it ")
                        .contains("rule=" + TopicNames.RULE).contains("--help");
            }
            assertThat(ring.readerState(0)).as("the reader slot was never claimed").isEqualTo(ReaderState.DETACHED);
            assertThat(ring.readerPosition(0)).as("nothing consumed").isZero();
        }
    }

    @Test
    void missingTopicIsExitTwoAStallKeepsTheStatusLineSigtermExitsZeroAndARestartForwardsEveryTickOnce()
            throws InterruptedException {
        String name = sandbox.name("kafka-app");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of("target"));
             Ring<Tick> ring = Ring.create(name, Tick.TYPE, RING);
             RingWriter<Tick> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
            ChildJvm missing = reporter(name, broker, "no-such-topic");
            assertThat(missing.awaitExit(LONG)).as("a missing topic: %s", missing.lines()).isEqualTo(2);
            assertThat(missing.lines()).as("one error line").filteredOn(l -> l.contains("error")).singleElement().asString()
                    .startsWith("reporter 0: error: cannot forward: reason=TOPIC_NOT_FOUND, ring=" + name + ", topic=no-such-topic");
            assertThat(ring.readerPosition(0)).isZero();

            String topic = "ticks-" + ProcessHandle.current().pid();
            broker.createTopic(topic, 1);
            publish(writer, 0, 2_000);
            ChildJvm first = reporter(name, broker, topic);
            await("the reporter committed 2,000").atMost(LONG).until(() -> ring.readerPosition(0) == 2_000);
            broker.pause();
            try {
                publish(writer, 2_000, 3_000); // sent into a transaction whose commit the broker does not answer
                first.awaitLine("reporter 0: kafka unavailable for ", LONG); // after the 5 s grace
                long before = statusLines(first);
                await("status lines while the broker does not answer").atMost(LONG)
                        .until(() -> statusLines(first) >= before + 2);
                assertThat(first.lines()).filteredOn(l -> l.startsWith("reporter 0: committed=2000 "))
                        .as("the status line says what holds it").anyMatch(l -> l.contains(" kafka=UNAVAILABLE for "));
                first.terminate();
                assertThat(first.awaitExit(LONG)).as("SIGTERM during the stall: %s", first.lines()).isZero();
            } finally {
                broker.resume();
            }
            assertThat(first.lines()) // 1,000 entries in one transaction, unless the test thread stalled for T while publishing
                    .anyMatch(l -> l.matches("reporter 0: stopped with a commit in flight \\(\\d+ entries.* stored=2000"))
                    .anyMatch(l -> l.startsWith("reporter 0: stopped at committed=2000"))
                    .noneMatch(l -> l.contains("error") || l.contains("Exception in"));
            assertThat(ring.readerState(0)).isEqualTo(ReaderState.DETACHED);

            ChildJvm second = reporter(name, broker, topic);
            assertThat(second.awaitLine("reporter 0: ring=", LONG)).as("the commit never reached the coordinator: aborted")
                    .contains("resuming at seq=2000 (stored=2000, topic ends at 1999)");
            await("the restarted reporter committed 3,000").atMost(LONG).until(() -> ring.readerPosition(0) == 3_000);
            second.terminate();
            assertThat(second.awaitExit(LONG)).as("%s", second.lines()).isZero();
            first.lines().forEach(l -> System.out.println("first  | " + l));
            second.lines().forEach(l -> System.out.println("second | " + l));
            assertTicks(broker.readAll(topic, IsolationLevel.READ_COMMITTED), 3_000);
        }
    }

    private ChildJvm reporter(String name, LocalKafkaBroker broker, String topic) {
        return sandbox.add(ChildJvm.start(Main.class, "reporter", "0", "--name", name, "--kafka", broker.bootstrapServers(),
                "--topic", topic, "--instance", "test-host"));
    }

    private static long statusLines(ChildJvm reporter) {
        return reporter.lines().stream().filter(l -> l.startsWith("reporter 0: committed=")).count();
    }

    private static void publish(RingWriter<Tick> writer, long from, long to) throws InterruptedException {
        for (long i = from; i < to; i++) {
            writer.publish((e, seq) -> Tick.write(e, seq, System.nanoTime()));
        }
    }

    /** Every tick 0..n-1 once, in order, its record value the 56 bytes of the tick. */
    private static void assertTicks(List<ConsumerRecord<byte[], byte[]>> records, long n) {
        assertThat(records.stream().map(r -> RecordFormat.u64(r.key())).toList())
                .as("keys: every sequence once, in order").containsExactlyElementsOf(LongStream.range(0, n).boxed().toList());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long seq = RecordFormat.u64(r.key());
            assertThat(r.value()).as("seq %d: docs/kafka.md's record size is for a 56-byte tick value", seq).hasSize(56);
            assertThat(Tick.check(SharedView.wrap(r.value()), seq)).as("seq %d", seq).isNull();
        }
    }
}
