package io.ipcarc.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.kafka.events.TransactionCommitEvent;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import io.ipcarc.testing.JfrEvents;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forwarder's JFR event {@code io.ipcarc.KafkaTransactionCommit}: one per commit into the real
 * broker the module's tests share, with its entries and the ring position it stores; recorded by
 * default only when a commit takes 20 ms or more.
 */
@Timeout(180)
@ExtendWith(SharedBroker.class)
class KafkaEventsTest {
    private static final String COMMIT = "io.ipcarc.KafkaTransactionCommit";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldRecordEachTransactionCommitWithItsEntriesAndTheRingPositionItStores() throws InterruptedException {
        String topic = KafkaStallTest.topic();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (JfrEvents jfr = JfrEvents.record(COMMIT);
             Ring<Long> ring = Ring.create(sandbox.name("kafka-jfr"), Long.class,
                     RingOptions.defaults().withCapacity(4096).withReservedReaders(0));
             RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSLESS);
             KafkaRingForwarder<Long> forwarder = KafkaStallTest.forwarder(ring, topic, lines).build()) {
            // Two batches, each forwarded as one transaction (a transaction holds up to 2,048 entries).
            KafkaStallTest.publish(writer, 0, 1_000);
            KafkaStallTest.forwardUntil(forwarder, 1_000);
            KafkaStallTest.publish(writer, 1_000, 1_600);
            KafkaStallTest.forwardUntil(forwarder, 1_600);

            Awaitility.await().atMost(DELIVERY).until(() -> commits(jfr, ring.name()).size() == 2);
            List<RecordedEvent> commits = commits(jfr, ring.name());
            assertThat(commits).extracting(e -> e.getInt("entries")).containsExactly(1_000, 600);
            assertThat(commits).extracting(e -> e.getLong("position")).containsExactly(1_000L, 1_600L);
            assertThat(commits).allSatisfy(e -> {
                assertThat(e.getString("topic")).isEqualTo(topic);
                assertThat(e.getString("outcome")).isEqualTo("committed");
                assertThat(e.getString("transactionalId"))
                        .isEqualTo(new RingSource(ForwarderChild.INSTANCE, ring.name(), 0).transactionalId());
                assertThat(e.getDuration()).isPositive();
            });
        }
        KafkaStallTest.assertSequences(topic, 1_600);
    }

    @Test
    void shouldRecordOnlyCommitsOfTwentyMillisecondsOrMoreByDefault() {
        assertThat(EventType.getEventType(TransactionCommitEvent.class).getName()).isEqualTo(COMMIT);
        assertThat(JfrEvents.defaultSetting(TransactionCommitEvent.class, "threshold")).isEqualTo("20 ms");
        assertThat(JfrEvents.defaultSetting(TransactionCommitEvent.class, "enabled")).isEqualTo("true");
    }

    private static List<RecordedEvent> commits(JfrEvents jfr, String ring) {
        return jfr.named(COMMIT).stream().filter(e -> ring.equals(e.getString("ring"))).toList();
    }
}
