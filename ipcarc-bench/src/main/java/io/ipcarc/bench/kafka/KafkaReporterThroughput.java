package io.ipcarc.bench.kafka;

import io.ipcarc.bench.BenchNames;
import io.ipcarc.bench.ExampleApps;
import io.ipcarc.bench.ExampleApps.Tick;
import io.ipcarc.bench.Floors;
import io.ipcarc.kafka.KafkaRingForwarder;
import io.ipcarc.kafka.RecordFormat;
import io.ipcarc.kafka.broker.LocalKafkaBroker;
import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka row of {@code ./bench/run}: sustained entries/s from {@code writer --rate 0
 * --lossless} through {@code reporter 0 --kafka --topic} into a local broker
 * ({@link LocalKafkaBroker}, {@code JvmProfile.THROUGHPUT}), each in its own JVM, beside the
 * same writer feeding {@code reporter 0 --out DIR} (the CSV reporter), runs of the two
 * alternating. The rate counts from the moment the reporter's committed position passes a fifth
 * of the entries (JIT and broker warm-up excluded) until it reaches the last. Every Kafka run is
 * read back with a read_committed consumer, which must see the sequences 0..N-1 once each, in
 * order.
 *
 * <p>Usage: {@code java -cp ipcarc-bench/target/ipcarc-bench.jar io.ipcarc.bench.kafka.KafkaReporterThroughput [ENTRIES [RUNS]]}.
 */
public final class KafkaReporterThroughput {
    /** The floor, entries/s. */
    public static final double FLOOR = 200_000;
    /** Ring capacity of the runs: docs/kafka.md's recommendation. */
    public static final int CAPACITY = 65_536;
    /** The producer-alone ceiling's settings: the forwarder's. */
    private static final TransactionalProducerThroughput.Settings CEILING =
            new TransactionalProducerThroughput.Settings(262_144, 5, 10_000, "none", 100);
    private static final String FLOOR_TEXT = "Kafka reporter >= 200,000 entries/s (lossless writer, local broker, 64-byte slots)";

    private final long entries;
    private final int runs;
    private final Path work;

    /**
     * What the row measured.
     *
     * @param markdown the section
     * @param floor the floor's verdict
     */
    public record Result(String markdown, Floors.Floor floor) {
    }

    private KafkaReporterThroughput(long entries, int runs, Path work) {
        this.entries = entries;
        this.runs = runs;
        this.work = work;
    }

    /**
     * Runs the rows alone and prints the section and the floor's verdict.
     *
     * @param args {@code [ENTRIES [RUNS]]}, default 2,000,000 and 3
     * @throws IOException if a temporary directory cannot be made
     */
    public static void main(String[] args) throws IOException {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 2_000_000;
        int r = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Result res = measure(n, r);
        System.out.println(res.markdown());
        System.out.println("# floor: " + res.floor().floor() + ": " + res.floor().measured() + " -> " + res.floor().verdict());
    }

    /**
     * The suite's Kafka rows ({@code ./bench/run} and {@code ./bench/run --ring}): 2,000,000
     * entries per run, 3 runs each; a smoke run takes 200,000 entries, once.
     *
     * @param smoke a run of seconds that only proves the harness works
     * @return the section and the floor
     * @throws IOException if a temporary directory cannot be made
     */
    public static Result measureForSuite(boolean smoke) throws IOException {
        return smoke ? measure(200_000, 1) : measure(2_000_000, 3);
    }

    /**
     * Starts a broker, runs the rows and renders them.
     *
     * @param entries entries per run
     * @param runs runs of each row
     * @return the section and the floor
     * @throws IOException if a temporary directory cannot be made
     */
    public static Result measure(long entries, int runs) throws IOException {
        Path work = Files.createTempDirectory("ipcarc-bench-kafka-");
        try {
            return new KafkaReporterThroughput(entries, runs, work).run();
        } finally {
            deleteTree(work);
        }
    }

    private Result run() {
        double[] kafka = new double[runs];
        double[] csv = new double[runs];
        double[] producer = new double[runs];
        double[] load = new double[runs];
        long[] verified = new long[runs];
        double brokerStart;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(work, LocalKafkaBroker.JvmProfile.THROUGHPUT)) {
            brokerStart = broker.lastStartup().toMillis() / 1000.0;
            for (int i = 0; i < runs; i++) {
                String topic = "bench-reporter-" + i;
                broker.createTopic(topic, 1);
                kafka[i] = once(List.of("--kafka", broker.bootstrapServers(), "--topic", topic, "--instance", "bench"));
                verified[i] = verify(broker.clientConfig(), topic, entries);
                csv[i] = once(List.of("--out", work.resolve("csv-" + i).toString()));
                producer[i] = TransactionalProducerThroughput.measure(broker, "bench-producer-" + i, CEILING, Duration.ofSeconds(2),
                        Duration.ofSeconds(5)).perSecond();
                load[i] = loadAverage();
                System.err.printf(Locale.ROOT, "kafka bench: run %d: kafka reporter %,.0f entries/s (verified %,d of %,d),"
                        + " csv reporter %,.0f entries/s, producer alone %,.0f records/s, load average %.1f%n", i + 1, kafka[i],
                        verified[i], entries, csv[i], producer[i], load[i]);
            }
        }
        double k = median(kafka);
        double c = median(csv);
        boolean allVerified = Arrays.stream(verified).allMatch(v -> v == entries);
        StringBuilder md = new StringBuilder();
        md.append("\n## Kafka: `writer --rate 0 --lossless` through the Kafka reporter into a local broker\n\n");
        md.append(String.format(Locale.ROOT, "Each run: a ring of %,d `Tick` entries (56 bytes, 64-byte slots; record value 56"
                + " bytes, key 8, three headers), %,d entries, writer and reporter in separate JVMs, a single-node KRaft broker"
                + " on this host (`LocalKafkaBroker`, throughput profile, started in %.1f s), a 1-partition topic per run."
                + " Producer settings: batch.size=262144, linger.ms=5, compression none, acks=all, idempotent and"
                + " transactional, %,d entries per transaction (`KafkaRingForwarder` defaults, capped at half the ring)."
                + " Entries/s from the moment the reporter's committed position passes a fifth of the entries to the last;"
                + " the CSV reporter's runs alternate with the Kafka reporter's. %d runs each.%n%n", CAPACITY, entries,
                brokerStart, Math.min(KafkaRingForwarder.DEFAULT_ENTRIES_PER_TRANSACTION, CAPACITY / 2), runs));
        md.append("| reporter | entries/s (median, min – max) | vs CSV reporter | read back exactly once (read_committed) |\n");
        md.append("|---|---:|---:|---|\n");
        md.append(String.format(Locale.ROOT, "| `reporter 0 --kafka` | %s | %.2fx | %s |%n", cell(kafka), k / c,
                allVerified ? "yes, every run" : "NO: " + Arrays.toString(verified)));
        md.append(String.format(Locale.ROOT, "| `reporter 0 --out DIR` (CSV) | %s | 1.00x | (file) |%n", cell(csv)));
        md.append(String.format(Locale.ROOT, "| ceiling: one transactional producer alone, no ring (`TransactionalProducerThroughput`,"
                + " %s, 5 s after 2 s) | %s | %.2fx | counted |%n", CEILING, cell(producer), median(producer) / c));
        md.append(String.format(Locale.ROOT, "%nKafka reporter / producer alone = %.2f (medians). 1-minute load average after each"
                + " run: %s (2 cores).%n", k / median(producer), Arrays.toString(load)));
        String verdict = !allVerified ? "MISSED (not exactly once)" : k >= FLOOR ? "met" : "MISSED";
        return new Result(md.toString(), new Floors.Floor(FLOOR_TEXT, String.format(Locale.ROOT,
                "%,.0f entries/s (median of %d; CSV reporter %,.0f in the same run)", k, runs, c), verdict));
    }

    /** One run of the writer and a reporter with {@code reporterOptions}; returns the sustained entries/s. */
    private double once(List<String> reporterOptions) {
        String name = BenchNames.next("kafka");
        List<Process> procs = new ArrayList<>();
        try (Ring<Tick> ring = Ring.create(name, Tick.TYPE, RingOptions.defaults().withCapacity(CAPACITY).withReservedReaders(0))) {
            List<String> reporter = new ArrayList<>(List.of("reporter", "0", "--name", name));
            reporter.addAll(reporterOptions);
            procs.add(start(reporter, "reporter"));
            procs.add(start(List.of("writer", "--name", name, "--count", Long.toString(entries), "--rate", "0", "--lossless"),
                    "writer"));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            long from = entries / 5;
            while (ring.readerPosition(0) < from) {
                check(deadline, procs);
                LockSupport.parkNanos(1_000_000L);
            }
            long t0 = System.nanoTime();
            long p0 = ring.readerPosition(0);
            while (ring.readerPosition(0) < entries) {
                check(deadline, procs);
                LockSupport.parkNanos(1_000_000L);
            }
            return (entries - p0) * 1e9 / (System.nanoTime() - t0);
        } finally {
            for (Process p : procs) {
                p.destroy(); // SIGTERM: a clean stop
            }
            for (Process p : procs) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Process start(List<String> args, String what) {
        JavaCommand cmd = ExampleApps.command(args.toArray(String[]::new));
        try {
            Path log = work.resolve(what + "-" + System.nanoTime() + ".log");
            return cmd.processBuilder().redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Fails when the run takes too long or the reporter ({@code procs.get(0)}) ended; the writer ends when it has written all. */
    private void check(long deadline, List<Process> procs) {
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("kafka bench: a run did not finish within 5 minutes: work=" + work);
        }
        Process reporter = procs.get(0);
        if (!reporter.isAlive()) {
            throw new IllegalStateException("kafka bench: the reporter ended early: exit=" + reporter.exitValue() + ", logs in "
                    + work + ": " + tail(work));
        }
    }

    private static String tail(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                List<String> lines = Files.readAllLines(f);
                sb.append(f.getFileName()).append(": ").append(lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    /**
     * Returns how many records of 0..n-1 a read_committed consumer sees, in order, once each; -1 at the first
     * that is not the next.
     *
     * @return how many records of 0..n-1 a read_committed consumer sees, in order, once each; -1 at the first that is not the next
     */
    private static long verify(Map<String, Object> client, String topic, long n) {
        Map<String, Object> c = new java.util.HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long next = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (consumer.position(tp) < end && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    if (RecordFormat.u64(r.key()) != next) {
                        return -1;
                    }
                    next++;
                }
            }
            return next;
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String cell(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%,.0f (%,.0f – %,.0f)", median(v), s[0], s[s.length - 1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
