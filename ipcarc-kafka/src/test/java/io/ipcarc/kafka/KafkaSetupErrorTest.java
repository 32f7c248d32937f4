package io.ipcarc.kafka;

import static io.ipcarc.kafka.SharedBroker.broker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ipcarc.kafka.KafkaForwardException.Reason;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.StartFrom;
import io.ipcarc.ring.WriterMode;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Setups Kafka refuses are refused at once, not logged as an outage forever (docs/kafka.md,
 * "Permanent errors"): an illegal topic name before the reader slot is claimed, and against the
 * real broker a missing topic, one of Kafka's internal topics and a record larger than the
 * producer allows, each from the first {@code forwardOnce}, the ring position unmoved.
 */
@Timeout(120)
@ExtendWith(SharedBroker.class)
class KafkaSetupErrorTest {
    /** Generous for a loaded host; "at once" is shown by no failed attempt before the refusal. */
    private static final Duration AT_ONCE = Duration.ofSeconds(30);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void anIllegalTopicNameIsRefusedInOneLineNamingTopicAndRuleBeforeTheReaderSlotIsClaimed() throws InterruptedException {
        String name = sandbox.name("kafka-badname");
        String longName = "t".repeat(260);
        try (Ring<Long> ring = Ring.create(name, Long.class, RingOptions.defaults().withReservedReaders(0));
             RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
            writer.publish(7L);
            String[][] cases = {
                {"bad topic!", "it contains ' ' at index 3"},
                {longName, "it has 260 characters"},
                {"..", "it is \"..\""},
                {".", "it is \".\""},
                {"", "it is empty"},
                {"two\nlines", "it contains '\\u000a' at index 3"},
            };
            for (String[] c : cases) {
                assertThatThrownBy(() -> KafkaRingForwarder.builder(ring, 0).bootstrapServers(broker().bootstrapServers())
                        .topic(c[0]).build())
                        .as(c[0]).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("illegal Kafka topic name: topic=\"" + c[0].replace("\n", "\\u000a") + "\"")
                        .hasMessageContaining("cause=" + c[1])
                        .hasMessageContaining("rule=" + TopicNames.RULE)
                        .hasMessageContaining("ring=" + name)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            }
            try (RingReader<Long> free = ring.claimReader(0, StartFrom.OLDEST)) {
                assertThat(free.poll((e -> { }), 10)).as("the slot was never claimed, the entry never consumed").isEqualTo(1);
            }
        }
    }

    @Test
    void theTopicCheckAgreesWithKafkasOwnOnRandomNames() {
        Random random = new Random(20);
        String alphabet = "aZ09._- !/\u00e9\t:";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(5) == 0 ? 240 + random.nextInt(20) : random.nextInt(4);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String topic = b.toString();
            boolean accepted;
            try {
                TopicNames.requireLegal(topic);
                accepted = true;
            } catch (IllegalArgumentException e) {
                accepted = false;
                assertThat(e.getMessage()).as(topic).doesNotContain("Kafka refuses it");
            }
            assertThat(accepted).as("topic=" + topic).isEqualTo(Topic.isValid(topic));
        }
    }

    @Test
    void aMissingTopicIsRefusedAtOnceNamingRingAndTopic() throws InterruptedException {
        assertRefusedAtOnce("no-such-topic", Reason.TOPIC_NOT_FOUND, b -> { }, "topic not found: topic=no-such-topic");
    }

    @Test
    void kafkasInternalTopicIsRefusedAtOnceAsAnInvalidTopic() throws InterruptedException {
        assertRefusedAtOnce(Topic.TRANSACTION_STATE_TOPIC_NAME, Reason.INVALID_TOPIC, b -> { }, "InvalidTopicException");
    }

    @Test
    void aRecordLargerThanTheProducerAllowsIsRefusedAtOnce() throws InterruptedException {
        String topic = "setup-" + ProcessHandle.current().pid() + "-large";
        broker().createTopic(topic, 1);
        assertRefusedAtOnce(topic, Reason.RECORD_TOO_LARGE, b -> b.producerProperty("max.request.size", 100),
                "RecordTooLargeException");
    }

    private void assertRefusedAtOnce(String topic, Reason reason, Consumer<KafkaRingForwarder.Builder<Long>> settings,
                                     String cause) throws InterruptedException {
        String name = sandbox.name("kafka-setup");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Ring<Long> ring = Ring.create(name, Long.class, RingOptions.defaults().withReservedReaders(0));
             RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < 10; i++) {
                writer.publish(i);
            }
            KafkaRingForwarder.Builder<Long> b = KafkaRingForwarder.builder(ring, 0).bootstrapServers(broker().bootstrapServers())
                    .topic(topic).instance("test-host").log(lines::add);
            settings.accept(b);
            try (KafkaRingForwarder<Long> forwarder = b.build()) {
                long t0 = System.nanoTime();
                KafkaForwardException e = catchThrowableOfType(() -> {
                    for (int i = 0; i < 3; i++) {
                        forwarder.forwardOnce(() -> true); // the start, then one transaction, then the refusal
                    }
                }, KafkaForwardException.class);
                System.out.println("refused after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + (e == null ? null : e.getMessage()));
                assertThat(e).as("refused within three calls").isNotNull();
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.reason().setup()).isTrue();
                assertThat(e.getMessage()).startsWith("cannot forward: reason=" + reason + ", ring=" + name + ", topic=" + topic)
                        .contains(cause).endsWith("stored=0").doesNotContain("\n");
                assertThat(forwarder.failedAttempts()).as("refused at the first failure, not retried").isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("well before an outage would be logged").isLessThan(AT_ONCE);
                assertThat(forwarder.committedPosition()).as("nothing stored").isZero();
            }
            assertThat(lines).as("no outage logged").noneMatch(l -> l.contains("kafka unavailable"));
        }
    }
}
