package io.ipcarc.kafka;

import io.ipcarc.kafka.broker.LocalKafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The tests' producers, and records in the reporter's {@link RecordFormat}. */
final class TestClients {
    private TestClients() {
    }

    /**
     * @param broker the broker
     * @param transactionalId the producer's transactional id
     * @return an idempotent, transactional producer of byte arrays (not yet initialised)
     */
    static KafkaProducer<byte[], byte[]> transactional(LocalKafkaBroker broker, String transactionalId) {
        Map<String, Object> c = broker.clientConfig();
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the entries {@code from..to-1} of a ring as the reporter would: sequence key, a
     * 64-byte value starting with the sequence, the three headers.
     *
     * @param producer a producer inside a transaction
     * @param topic the topic
     * @param partition the partition, or null to let the key choose it
     * @param ringId the ring id
     * @param source the stream
     * @param from the first sequence
     * @param to one past the last
     * @return the send results
     */
    static List<Future<RecordMetadata>> send(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition,
                                             long ringId, RingSource source, long from, long to) {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        byte[] src = source.headerValue();
        for (long s = from; s < to; s++) {
            byte[] value = new byte[64];
            System.arraycopy(RecordFormat.u64(s), 0, value, 0, 8);
            futures.add(producer.send(new ProducerRecord<>(topic, partition, null, RecordFormat.sequenceKey(s), value,
                    RecordFormat.headers(ringId, src, s))));
        }
        return futures;
    }

    /** Sends {@code from..to-1} in a transaction of their own and commits it. */
    static void committed(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, long ringId,
                          RingSource source, long from, long to) {
        producer.beginTransaction();
        send(producer, topic, partition, ringId, source, from, to);
        producer.commitTransaction();
    }

    /** Begins a transaction, sends {@code from..to-1} and waits until the broker has them; leaves it open. */
    static void leftOpen(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, long ringId,
                         RingSource source, long from, long to) {
        producer.beginTransaction();
        send(producer, topic, partition, ringId, source, from, to);
        producer.flush();
    }

    /** Sends {@code from..to-1} in a transaction of their own, waits until the broker has them, and aborts it. */
    static void aborted(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, long ringId,
                        RingSource source, long from, long to) {
        leftOpen(producer, topic, partition, ringId, source, from, to);
        producer.abortTransaction();
    }
}
