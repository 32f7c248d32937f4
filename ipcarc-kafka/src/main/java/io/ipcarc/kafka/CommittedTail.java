package io.ipcarc.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a restarted reporter resumes: the sequence of the last record its stream committed to a
 * topic, as a {@code read_committed} consumer sees it (the Kafka counterpart of the CSV
 * reporter's file tail; docs/kafka.md, "Resuming").
 *
 * <p>Call it after {@code initTransactions()} of the reporter's producer: that fences a previous
 * reporter of the same stream and aborts its open transaction, so nothing of this stream can
 * still commit. The search then
 * <ol>
 *   <li>takes each partition's high watermark (a {@code read_uncommitted} end offset);</li>
 *   <li>waits until the last stable offset reaches it, so that no transaction of another
 *       producer that is still open hides records of this stream committed after it began;</li>
 *   <li>reads each partition backwards in growing windows below that watermark until it meets a
 *       record of this stream ({@link RecordOrigin#isFrom}); one producer commits in order, so
 *       that record is the stream's last in the partition;</li>
 *   <li>returns the highest sequence among those last records that belong to the given ring.
 *       Transactions commit atomically and entries are sent in sequence order, so the committed
 *       entries of a ring are a prefix and that sequence is its end.</li>
 * </ol>
 * A partition the stream never wrote to is read to its start.
 */
public final class CommittedTail {
    /** How the message of the exception for a missing topic starts. */
    static final String TOPIC_NOT_FOUND = "topic not found: topic=";
    private static final long FIRST_WINDOW = 1024;
    private static final Duration POLL = Duration.ofMillis(100);

    private CommittedTail() {
    }

    /**
     * Returns the last committed sequence of that ring from that stream, or empty if it has none in
     * the topic.
     *
     * @param clientConfig consumer settings ({@code bootstrap.servers} and any security
     *     settings); deserializers, isolation and group settings are set here
     * @param topic the topic the reporter forwards to
     * @param source the reporter's stream
     * @param ringId the id of the ring it forwards now
     * @param timeout for the whole search, including waiting for other producers' open transactions
     * @return the last committed sequence of that ring from that stream, or empty if it has none in the topic
     * @throws IllegalStateException naming the topic (and the partition where one is at fault) when the
     *     topic does not exist, the search does not finish in time, or a Kafka client call fails (the
     *     {@link KafkaException} is the cause: a {@code TimeoutException} there means the broker was not reached)
     */
    public static OptionalLong lastCommittedSeq(Map<String, Object> clientConfig, String topic, RingSource source,
                                                long ringId, Duration timeout) {
        try {
            return search(clientConfig, topic, source, ringId, timeout);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot find the committed tail: topic=" + topic + ", source=" + source.label()
                    + ", timeout=" + timeout + ", cause=" + e, e);
        }
    }

    private static OptionalLong search(Map<String, Object> clientConfig, String topic, RingSource source, long ringId,
                                       Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> highWatermarks;
        try (KafkaConsumer<byte[], byte[]> uncommitted = consumer(clientConfig, "read_uncommitted")) {
            List<TopicPartition> partitions = partitions(uncommitted, topic, timeout);
            uncommitted.assign(partitions); // unassigned, the consumer warns that it drops the answer
            highWatermarks = uncommitted.endOffsets(partitions, timeout);
        }
        try (KafkaConsumer<byte[], byte[]> committed = consumer(clientConfig, "read_committed")) {
            List<TopicPartition> partitions = new ArrayList<>(highWatermarks.keySet());
            committed.assign(partitions);
            awaitStable(committed, highWatermarks, deadline, timeout);
            Map<TopicPartition, Long> beginnings = committed.beginningOffsets(partitions, remaining(deadline, timeout));
            OptionalLong best = OptionalLong.empty();
            for (TopicPartition tp : partitions) {
                RecordOrigin last = lastOfSource(committed, tp, beginnings.get(tp), highWatermarks.get(tp), source,
                        deadline, timeout);
                if (last != null && last.ringId() == ringId && (best.isEmpty() || last.seq() > best.getAsLong())) {
                    best = OptionalLong.of(last.seq());
                }
            }
            return best;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(TOPIC_NOT_FOUND + topic);
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : infos) {
            out.add(new TopicPartition(topic, p.partition()));
        }
        return out;
    }

    private static void awaitStable(KafkaConsumer<byte[], byte[]> committed, Map<TopicPartition, Long> highWatermarks,
                                    long deadline, Duration timeout) {
        while (true) {
            // at least 500 ms per look, so that the last look before the deadline can still tell what holds it
            Duration look = Duration.ofNanos(Math.max(deadline - System.nanoTime(), POLL.toNanos() * 5));
            Map<TopicPartition, Long> stable = committed.endOffsets(highWatermarks.keySet(), look);
            TopicPartition behind = null;
            for (Map.Entry<TopicPartition, Long> e : highWatermarks.entrySet()) {
                if (stable.get(e.getKey()) < e.getValue()) {
                    behind = e.getKey();
                    break;
                }
            }
            if (behind == null) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("an open transaction of another producer keeps the last stable offset below"
                        + " the high watermark: partition=" + behind + ", lastStable=" + stable.get(behind)
                        + ", highWatermark=" + highWatermarks.get(behind) + ", timeout=" + timeout);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** The last record of {@code source} below {@code end}, reading backwards in windows growing 4x, or null. */
    private static RecordOrigin lastOfSource(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long begin, long end,
                                             RingSource source, long deadline, Duration timeout) {
        long upper = end;
        long window = FIRST_WINDOW;
        while (upper > begin) {
            long from = Math.max(begin, upper - window);
            consumer.seek(tp, from);
            RecordOrigin last = null;
            while (consumer.position(tp) < upper) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("reading the topic back did not finish in time: partition=" + tp
                            + ", from=" + from + ", to=" + upper + ", position=" + consumer.position(tp) + ", timeout=" + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
                    if (r.offset() >= upper) {
                        break;
                    }
                    RecordOrigin o = RecordOrigin.of(r.headers());
                    if (o != null && o.isFrom(source)) {
                        last = o;
                    }
                }
            }
            if (last != null) {
                return last;
            }
            upper = from;
            window = Math.min(window * 4, Long.MAX_VALUE / 8);
        }
        return null;
    }

    private static Duration remaining(long deadline, Duration timeout) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IllegalStateException("the search for the committed tail took longer than timeout=" + timeout);
        }
        return Duration.ofNanos(left);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientConfig, String isolation) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
