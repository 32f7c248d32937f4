package io.ipcarc.bench.kafka;

import io.ipcarc.kafka.RecordFormat;
import io.ipcarc.kafka.RingSource;
import io.ipcarc.kafka.broker.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka reporter's ceiling before the reporter exists: one transactional producer sends
 * records in the reporter's format (8-byte sequence key, 64-byte value, the three
 * {@link RecordFormat} headers) to a 1-partition topic of a {@link LocalKafkaBroker}, committing
 * a transaction every N records. Entries/s counts only committed records, and each run is
 * checked afterwards: a read_committed consumer must count exactly the records sent.
 *
 * <p>Usage: {@code java -cp ipcarc-bench/target/ipcarc-bench.jar io.ipcarc.bench.kafka.TransactionalProducerThroughput [SECONDS]}.
 */
public final class TransactionalProducerThroughput {
    private static final int VALUE_BYTES = 64;
    private static final long RING_ID = 0x5eed_1234_abcd_0001L;

    /**
     * One producer configuration.
     *
     * @param batchSize {@code batch.size}, bytes
     * @param lingerMs {@code linger.ms}
     * @param perTransaction records per transaction
     * @param compression {@code compression.type}
     * @param retryBackoffMs {@code retry.backoff.ms}: the first produce of a transaction can be refused
     *     ({@code CONCURRENT_TRANSACTIONS}) while the previous one's markers are written, and waits this long
     */
    public record Settings(int batchSize, int lingerMs, int perTransaction, String compression, int retryBackoffMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "batch.size=%d linger.ms=%d N=%d compression=%s retry.backoff.ms=%d", batchSize,
                    lingerMs, perTransaction, compression, retryBackoffMs);
        }
    }

    /**
     * What one run measured.
     *
     * @param settings the configuration
     * @param records records committed in the measured window
     * @param seconds length of the measured window
     * @param transactions transactions committed in it
     * @param meanCommitMs mean time of {@code commitTransaction()}, ms
     * @param verified records a read_committed consumer counted in the topic (warm-up included)
     * @param sent records committed in the whole run (warm-up included)
     */
    public record Result(Settings settings, long records, double seconds, long transactions, double meanCommitMs,
                         long verified, long sent) {
        /**
         * Returns committed entries per second.
         *
         * @return committed entries per second
         */
        public double perSecond() {
            return records / seconds;
        }
    }

    private TransactionalProducerThroughput() {
    }

    /**
     * Runs one configuration into a fresh topic.
     *
     * @param broker the broker
     * @param topic a topic name not used before
     * @param s the configuration
     * @param warmup how long to send before measuring
     * @param measure how long to measure (whole transactions; the window ends with the first commit after it)
     * @return the figures
     */
    public static Result measure(LocalKafkaBroker broker, String topic, Settings s, Duration warmup, Duration measure) {
        broker.createTopic(topic, 1);
        Map<String, Object> c = broker.clientConfig();
        RingSource source = new RingSource("bench-host", "/bench-" + topic, 0);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, source.transactionalId());
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, s.batchSize());
        c.put(ProducerConfig.LINGER_MS_CONFIG, s.lingerMs());
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.compression());
        c.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, s.retryBackoffMs());
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        byte[] sourceHeader = source.headerValue();
        long seq = 0;
        long measuredRecords = 0;
        long transactions = 0;
        long commitNanos = 0;
        long t0;
        long t1;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            long warmupEnd = System.nanoTime() + warmup.toNanos();
            while (System.nanoTime() < warmupEnd) {
                seq = beginAndSend(producer, topic, sourceHeader, seq, s.perTransaction());
                producer.commitTransaction();
            }
            t0 = System.nanoTime();
            long end = t0 + measure.toNanos();
            do {
                long from = seq;
                seq = beginAndSend(producer, topic, sourceHeader, seq, s.perTransaction() - 1);
                producer.send(record(topic, sourceHeader, seq++));
                long c0 = System.nanoTime();
                producer.commitTransaction();
                t1 = System.nanoTime();
                commitNanos += t1 - c0;
                measuredRecords += seq - from;
                transactions++;
            } while (t1 < end);
        }
        long verified = countCommitted(broker, topic);
        return new Result(s, measuredRecords, (t1 - t0) / 1e9, transactions, commitNanos / 1e6 / transactions, verified, seq);
    }

    /** Begins a transaction and sends {@code n} records from {@code seq}; returns the next sequence. */
    private static long beginAndSend(KafkaProducer<byte[], byte[]> producer, String topic, byte[] sourceHeader, long seq, int n) {
        producer.beginTransaction();
        for (int i = 0; i < n; i++) {
            producer.send(record(topic, sourceHeader, seq++));
        }
        return seq;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, byte[] sourceHeader, long seq) {
        byte[] value = new byte[VALUE_BYTES];
        long h = seq;
        for (int i = 0; i < VALUE_BYTES; i += 8) {
            h = splitmix64(h);
            for (int b = 0; b < 8; b++) {
                value[i + b] = (byte) (h >>> (8 * b));
            }
        }
        return new ProducerRecord<>(topic, 0, null, RecordFormat.sequenceKey(seq), value,
                RecordFormat.headers(RING_ID, sourceHeader, seq));
    }

    private static long splitmix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Counts the records a read_committed consumer sees in partition 0. */
    private static long countCommitted(LocalKafkaBroker broker, String topic) {
        Map<String, Object> c = broker.clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        TopicPartition tp = new TopicPartition(topic, 0);
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + tp + " back took over 2 minutes: counted=" + n);
                }
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    /**
     * Runs every configuration of a small matrix {@code ROUNDS} times, interleaved (so that
     * a burst of load from other processes does not hit one configuration only), and prints
     * the median and range of each.
     *
     * @param args {@code [SECONDS [ROUNDS]]}: measured per run (default 5) and rounds (default 3)
     */
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Settings recommended = new Settings(262_144, 5, 10_000, "none", 100);
        List<Settings> matrix = List.of(
                new Settings(16_384, 5, 10_000, "none", 100),
                recommended,
                new Settings(1_048_576, 5, 10_000, "none", 100),
                new Settings(262_144, 20, 10_000, "none", 100),
                new Settings(262_144, 5, 10_000, "none", 10),
                new Settings(262_144, 5, 500, "none", 100),
                new Settings(262_144, 5, 500, "none", 10),
                new Settings(262_144, 5, 100_000, "none", 100),
                new Settings(262_144, 5, 10_000, "lz4", 100));
        Map<Settings, List<Double>> rates = new java.util.LinkedHashMap<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of("ipcarc-bench", "target"), LocalKafkaBroker.JvmProfile.THROUGHPUT)) {
            System.out.printf(Locale.ROOT, "# broker %s started in %d ms%n", broker.bootstrapServers(), broker.lastStartup().toMillis());
            Result warm = measure(broker, "spike-warmup", recommended, Duration.ofSeconds(2), Duration.ofSeconds(20));
            System.out.printf(Locale.ROOT, "# broker warm-up (not a result): %,.0f entries/s%n", warm.perSecond());
            int topic = 0;
            for (int round = 1; round <= rounds; round++) {
                for (Settings s : matrix) {
                    Result r = measure(broker, "spike-" + (topic++), s, Duration.ofSeconds(2), Duration.ofSeconds(seconds));
                    System.out.printf(Locale.ROOT, "round %d %-76s %,10.0f entries/s (%,d in %.1f s, %d txns, commit %.1f ms,"
                            + " read back %,d of %,d, load %s)%n", round, s, r.perSecond(), r.records(), r.seconds(),
                            r.transactions(), r.meanCommitMs(), r.verified(), r.sent(), loadAverage());
                    if (r.verified() != r.sent()) {
                        throw new IllegalStateException("read_committed count differs from records committed: " + r);
                    }
                    rates.computeIfAbsent(s, k -> new ArrayList<>()).add(r.perSecond());
                }
            }
        }
        System.out.println("| batch.size | linger.ms | entries per transaction | compression | retry.backoff.ms | entries/s (median)"
                + " | range |");
        System.out.println("|---:|---:|---:|---|---:|---:|---|");
        for (Map.Entry<Settings, List<Double>> e : rates.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            v.sort(null);
            Settings s = e.getKey();
            System.out.printf(Locale.ROOT, "| %,d | %d | %,d | %s | %d | %,.0f | %,.0f - %,.0f |%n", s.batchSize(), s.lingerMs(),
                    s.perTransaction(), s.compression(), s.retryBackoffMs(), v.get(v.size() / 2), v.get(0), v.get(v.size() - 1));
        }
    }

    /**
     * Returns the 1-minute load average, for the reader to judge the noise of a run on a shared machine.
     *
     * @return the 1-minute load average, for the reader to judge the noise of a run on a shared machine
     */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
