package io.ipcarc.kafka;

import static io.ipcarc.kafka.SharedBroker.broker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Finding where a restarted reporter resumes, against the real broker the module's tests share ({@link SharedBroker}). */
@Timeout(120)
@ExtendWith(SharedBroker.class)
class CommittedTailTest {
    private static final long RING = 0x1111;
    private static final RingSource A = new RingSource("test-host", "/tail-a", 0);
    private static final RingSource B = new RingSource("test-host", "/tail-b", 3);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger TOPICS = new AtomicInteger();


    @Test
    void aStreamWithNothingInTheTopicHasNoTail() {
        String topic = topic(1);
        assertThat(tail(topic, A, RING)).isEmpty();
    }

    @Test
    void aMissingTopicIsAClearError() {
        assertThatThrownBy(() -> CommittedTail.lastCommittedSeq(broker().clientConfig(), "no-such-topic", A, RING, TIMEOUT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("topic=no-such-topic");
    }

    @Test
    void theTailIsTheLastCommittedRecordNotTheAbortedOnesAfterIt() {
        String topic = topic(1);
        try (KafkaProducer<byte[], byte[]> p = TestClients.transactional(broker(), A.transactionalId())) {
            p.initTransactions();
            TestClients.committed(p, topic, 0, RING, A, 0, 100);
            TestClients.aborted(p, topic, 0, RING, A, 100, 150);
        }
        assertThat(tail(topic, A, RING)).hasValue(99);
    }

    @Test
    void recordsOfOtherStreamsAndOfOtherRingsAreNotTheTail() {
        String topic = topic(1);
        try (KafkaProducer<byte[], byte[]> a = TestClients.transactional(broker(), A.transactionalId() + topic);
             KafkaProducer<byte[], byte[]> b = TestClients.transactional(broker(), B.transactionalId() + topic)) {
            a.initTransactions();
            b.initTransactions();
            TestClients.committed(a, topic, 0, RING, A, 0, 100);
            TestClients.committed(b, topic, 0, RING, B, 0, 10_000); // far more than the first window of 1024 records after A's last
        }
        assertThat(tail(topic, A, RING)).hasValue(99);
        assertThat(tail(topic, B, RING)).hasValue(9_999);
        assertThat(tail(topic, A, RING + 1)).as("a new ring of the same name").isEmpty();
    }

    @Test
    void theTailOfARingSpreadOverPartitionsIsItsHighestCommittedSequence() {
        String topic = topic(3);
        try (KafkaProducer<byte[], byte[]> p = TestClients.transactional(broker(), A.transactionalId() + topic)) {
            p.initTransactions();
            TestClients.committed(p, topic, null, RING, A, 0, 300);
            TestClients.aborted(p, topic, null, RING, A, 300, 400);
        }
        assertThat(tail(topic, A, RING)).hasValue(299);
    }

    @Test
    void anOpenTransactionOfAnotherStreamIsWaitedForNotReadPast() {
        String topic = topic(1);
        try (KafkaProducer<byte[], byte[]> a = TestClients.transactional(broker(), A.transactionalId() + topic);
             KafkaProducer<byte[], byte[]> b = TestClients.transactional(broker(), B.transactionalId() + topic)) {
            a.initTransactions();
            b.initTransactions();
            TestClients.committed(a, topic, 0, RING, A, 0, 10);
            TestClients.leftOpen(b, topic, 0, RING, B, 0, 1); // B's open transaction now holds the last stable offset
            TestClients.committed(a, topic, 0, RING, A, 10, 20); // committed, but above the last stable offset until B ends

            assertThatThrownBy(() -> CommittedTail.lastCommittedSeq(broker().clientConfig(), topic, A, RING,
                    Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("open transaction")
                    .hasMessageContaining(topic + "-0");
            CompletableFuture<OptionalLong> search = CompletableFuture.supplyAsync(() -> tail(topic, A, RING));
            await("the search waiting while B's transaction is open").during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(3)).until(() -> !search.isDone());
            b.commitTransaction();
            assertThat(search.join()).hasValue(19);
        }
    }

    private static OptionalLong tail(String topic, RingSource source, long ringId) {
        return CommittedTail.lastCommittedSeq(broker().clientConfig(), topic, source, ringId, TIMEOUT);
    }

    private static String topic(int partitions) {
        String t = "tail-" + TOPICS.incrementAndGet();
        broker().createTopic(t, partitions);
        return t;
    }
}
