package io.ipcarc.kafka;

import static org.awaitility.Awaitility.await;

import io.ipcarc.kafka.broker.LocalKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads one partition of a test topic from its start to its current end, as a consumer of the given isolation sees it. */
final class PartitionReader {
    private PartitionReader() {
    }

    /**
     * @param broker the broker
     * @param topic the topic (partition 0)
     * @param isolation read_committed stops at the last stable offset and skips aborted records
     * @return every record of the partition the consumer sees, in offset order
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(LocalKafkaBroker broker, String topic, IsolationLevel isolation) {
        Map<String, Object> c = broker.clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            await("reading " + tp + " to offset " + end).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).records(tp).forEach(out::add);
                        return consumer.position(tp) >= end;
                    });
        }
        return out;
    }
}
