package io.ipcarc.kafka;

import static io.ipcarc.kafka.SharedBroker.broker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.kafka.KafkaRingForwarder.KafkaState;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker that stops answering for a while (frozen with SIGSTOP, connections open, as in a long
 * GC pause or on a loaded host) while an in-process forwarder has a commit in flight: a stall
 * shorter than the grace is retried without an outage line, and a commit the forwarder gave up
 * waiting for (it was stopped) is completed by Kafka, so that the next start resumes ahead of
 * the stored position, and the run stays exactly once.
 */
@Timeout(180)
@ExtendWith(SharedBroker.class)
class KafkaStallTest {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Pattern RESUMED = Pattern.compile("resuming at seq=(\\d+) \\(stored=(\\d+), topic ends at (\\d+)\\)");
    private static final Duration LONG = Duration.ofSeconds(60);
    /** 4,096 entries: a transaction holds up to 2,048, so each batch of 1,000 below is one transaction. */
    private static final RingOptions RING = RingOptions.defaults().withCapacity(4096).withReservedReaders(0);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void aStallShorterThanTheGraceIsRetriedWithoutAnOutageLineAndLosesNothing() throws InterruptedException {
        String topic = topic();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Ring<Long> ring = Ring.create(sandbox.name("kafka-stall"), Long.class, RING);
             RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSLESS);
             KafkaRingForwarder<Long> forwarder = forwarder(ring, topic, lines).outageGrace(Duration.ofSeconds(60)).build()) {
            publish(writer, 0, 1_000);
            forwardUntil(forwarder, 1_000);
            publish(writer, 1_000, 2_000);
            broker().pause();
            try {
                assertThat(forwarder.forwardOnce(() -> true)).as("the commit did not answer in time").isZero();
                assertThat(forwarder.kafkaState()).isEqualTo(KafkaState.RETRYING);
                assertThat(forwarder.failedAttempts()).isPositive();
                assertThat(forwarder.committedPosition()).isEqualTo(1_000);
            } finally {
                broker().resume();
            }
            forwardUntil(forwarder, 2_000);
            assertThat(forwarder.kafkaState()).isEqualTo(KafkaState.OK);
            assertThat(forwarder.failingFor()).isZero();
        }
        assertThat(lines).as("no outage line for a stall shorter than the grace: " + lines)
                .noneMatch(l -> l.contains("kafka unavailable") || l.contains("kafka back"));
        assertSequences(topic, 2_000);
    }

    @Test
    void aCommitInFlightWhenKafkaStoppedAnsweringIsCompletedByKafkaAndTheNextStartResumesAheadOfTheStoredPosition()
            throws InterruptedException {
        String topic = topic();
        String name = sandbox.name("kafka-inflight");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Ring<Long> ring = Ring.create(name, Long.class, RING);
             RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
            publish(writer, 0, 1_000);
            KafkaRingForwarder<Long> first = forwarder(ring, topic, lines).outageGrace(Duration.ZERO).build();
            try {
                forwardUntil(first, 1_000);
                publish(writer, 1_000, 2_000);
                broker().pause();
                try {
                    assertThat(first.forwardOnce(() -> true)).as("sent 1,000 entries, the commit did not answer in time").isZero();
                    assertThat(first.kafkaState()).isEqualTo(KafkaState.UNAVAILABLE);
                } finally {
                    broker().resume();
                }
                // The forwarder is told to stop now (it makes no more calls); its producer still has the commit
                // in flight, and Kafka completes it once the broker answers again.
                await("Kafka completed the commit the forwarder stopped waiting for").atMost(LONG)
                        .until(() -> committed(topic).size() == 2_000);
                assertThat(first.committedPosition()).as("the position store never happened").isEqualTo(1_000);
            } finally {
                first.close(); // the bug was an IllegalStateException here: an abort after a timed-out commit
            }
            assertThat(lines).as("close leaves the commit to Kafka and says so")
                    .anyMatch(l -> l.startsWith("reporter: stopped with a commit in flight (1000 entries")
                            && l.endsWith("stored=1000"));
            assertThat(ring.readerPosition(0)).isEqualTo(1_000);
            try (KafkaRingForwarder<Long> next = forwarder(ring, topic, lines).build()) {
                publish(writer, 2_000, 3_000);
                forwardUntil(next, 3_000);
            }
            Matcher resumed = lines.stream().map(RESUMED::matcher).filter(Matcher::find).reduce((a, b) -> b).orElseThrow();
            assertThat(List.of(resumed.group(1), resumed.group(2), resumed.group(3))).as("the second start: " + lines)
                    .containsExactly("2000", "1000", "1999");
        }
        lines.forEach(l -> System.out.println("  " + l));
        assertSequences(topic, 3_000);
    }

    static String topic() {
        String t = "stall-" + ProcessHandle.current().pid() + "-" + TOPICS.incrementAndGet();
        broker().createTopic(t, 1);
        return t;
    }

    static KafkaRingForwarder.Builder<Long> forwarder(Ring<Long> ring, String topic, List<String> lines) {
        return KafkaRingForwarder.builder(ring, 0).bootstrapServers(broker().bootstrapServers()).topic(topic)
                .instance(ForwarderChild.INSTANCE).logPrefix("reporter").log(lines::add);
    }

    static void publish(RingWriter<Long> writer, long from, long to) throws InterruptedException {
        for (long i = from; i < to; i++) {
            writer.publish(i);
        }
    }

    static void forwardUntil(KafkaRingForwarder<Long> forwarder, long position) {
        await("forwarder committed " + position).atMost(LONG).pollInterval(Duration.ZERO).until(() -> {
            forwarder.forwardOnce(() -> true);
            return forwarder.committedPosition() >= position;
        });
        assertThat(forwarder.committedPosition()).isEqualTo(position);
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        return broker().readAll(topic, IsolationLevel.READ_COMMITTED);
    }

    /** The topic holds 0..n-1 once each, in order, as this stream's records. */
    static void assertSequences(String topic, long n) {
        List<ConsumerRecord<byte[], byte[]>> records = committed(topic);
        assertThat(records.stream().map(r -> RecordFormat.u64(r.key())).toList()).as("every sequence once, in order")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, n).boxed().toList());
        assertThat(records).allSatisfy(r -> assertThat(RecordOrigin.of(r.headers()).seq()).isEqualTo(RecordFormat.u64(r.key())));
    }
}
