package io.ipcarc.bench;

import io.ipcarc.bench.kafka.KafkaReporterThroughput;
import io.ipcarc.examples.JvmCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one command of the benchmark suite: runs the JMH microbenchmarks, the C pthread
 * baseline and the cross-process harness, then writes {@code benchmarks.md} and
 * {@code benchmarks.svg} (by default into {@code docs/}).
 *
 * <p>Usage: {@code java -jar ipcarc-bench/target/ipcarc-bench.jar [--smoke] [--out DIR]}.
 */
public final class BenchSuite {
    /** Report order and labels of the JMH benchmarks, by {@code Class.method}. */
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("ArcBenchmarks.acquireClose", "IpcArc<Long>: acquire() + close()");
        LABELS.put("ArcBenchmarks.acquireGetSetCloseLong", "IpcArc<Long>: acquire + get + set + close");
        LABELS.put("ArcBenchmarks.acquireGetSetCloseTriple", "IpcArc<Triple>: acquire + get + set + close (crash-atomic)");
        LABELS.put("ArcBenchmarks.acquireGetSetCloseTripleRaw", "IpcArc<Triple>: acquire + get + set + close (raw)");
        LABELS.put("ArcBenchmarks.acquireBufferWriteCloseTriple", "IpcArc<Triple>: acquire + 3 puts via buffer() + close (crash-atomic)");
        LABELS.put("ArcBenchmarks.acquireBufferWriteCloseTripleRaw", "IpcArc<Triple>: acquire + 3 puts via buffer() + close (raw)");
        LABELS.put("ArcBenchmarks.acquireGetCloseTriple", "IpcArc<Triple>: acquire + get + close");
        LABELS.put("ArcBenchmarks.readLong", "IpcArc<Long>: read() (lock-free)");
        LABELS.put("ArcBenchmarks.readTriple", "IpcArc<Triple>: read() (lock-free, crash-atomic)");
        LABELS.put("ArcBenchmarks.readTripleRaw", "IpcArc<Triple>: read() (lock-free, raw)");
        LABELS.put("ArcBenchmarks.fiveCheckedLoads", "diagnostic: the 5 checked loads and 2 fences of that read(), no allocation");
        LABELS.put("ArcBenchmarks.getAndAddLong", "SharedBuffer.getAndAddLong");
        LABELS.put("ArcBenchmarks.createLoadClose", "create + load + close of a segment");
        LABELS.put("JnrMutexBenchmarks.jnrLockUnlock", "diagnostic: the same pthread lock + unlock through jnr-ffi, no IpcArc");
        LABELS.put("BaselineBenchmarks.reentrantLock", "baseline: ReentrantLock lock + unlock (in-process)");
        LABELS.put("BaselineBenchmarks.fileChannelLock", "baseline: FileChannel.lock() + release (JDK, cross-process)");
    }

    private BenchSuite() {
    }

    /**
     * @param args {@code [--smoke] [--out DIR]}
     * @throws RunnerException if JMH fails
     * @throws IOException if the report cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        // --ring: only the ring rows (separate JVMs); rewrites only the ring section of benchmarks.md.
        boolean ringOnly = java.util.Arrays.asList(args).contains("--ring");
        SuiteConfig cfg;
        try {
            cfg = SuiteConfig.parse(java.util.Arrays.stream(args).filter(a -> !a.equals("--ring")).toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println("ipcarc-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cfg == null) {
            System.out.println(SuiteConfig.USAGE);
            return;
        }
        long pid = ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BenchNames.removeAll(pid)));
        if (ringOnly) {
            io.ipcarc.bench.xproc.RingBench.run(cfg.smoke(), cfg.out());
            return;
        }
        MachineInfo machine = MachineInfo.current();

        Map<String, Figure> micro = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : LABELS.entrySet()) {
            micro.put(e.getKey(), Figure.missing(e.getKey(), e.getValue(), "ns/op", "benchmark did not run"));
        }
        for (RunResult r : runJmh(cfg)) {
            String bench = r.getParams().getBenchmark();
            String key = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            org.openjdk.jmh.results.Result<?> p = r.getPrimaryResult();
            micro.put(key, new Figure(key, LABELS.getOrDefault(key, key), p.getScore(), p.getScoreError(), p.getScoreUnit(), ""));
        }
        System.out.println("# C baseline: " + cfg.cRuns() + " x " + cfg.cIterations() + " pairs");
        micro.put(NativeMutexBaseline.KEY, NativeMutexBaseline.measure(cfg.cIterations(), cfg.cRuns()));
        System.out.println("# cross-process contention, 2 JVMs");
        ContentionHarness.Result contention = ContentionHarness.run(2, cfg.contentionWarmupMs(),
                cfg.contentionIntervals(), cfg.contentionIntervalMs(), cfg.contentionLatencyMs());

        System.out.println("# ring across processes: throughput, ping-pong, end to end, reporter CPU");
        io.ipcarc.bench.xproc.XprocSuite xproc = new io.ipcarc.bench.xproc.XprocSuite(cfg.smoke(), cfg.smoke() ? 1 : 3, null);
        String xprocMarkdown = xproc.run();
        System.out.println("# Kafka reporter into a local broker, beside the CSV reporter");
        KafkaReporterThroughput.Result kafka = KafkaReporterThroughput.measure(cfg.smoke() ? 200_000 : 2_000_000, cfg.smoke() ? 1 : 3);
        List<Floors.Floor> ringAndKafkaFloors = new ArrayList<>(xproc.floors());
        ringAndKafkaFloors.add(kafka.floor());

        Files.createDirectories(cfg.out());
        String chart = "benchmarks.svg";
        String ringChart = "benchmarks-ring.svg";
        Files.writeString(cfg.out().resolve("benchmarks.md"), Report.render(cfg, machine, micro, contention, chart,
                xprocMarkdown + kafka.markdown(), ringAndKafkaFloors, ringChart), StandardCharsets.UTF_8);
        Files.writeString(cfg.out().resolve(ringChart), SvgChart.render("Ring across processes: messages/s (log scale; grey = "
                + "Agrona and sockets) - " + machine.date() + (cfg.smoke() ? " (smoke run)" : ""), xproc.throughputBars(), "msg/s",
                "Ping-pong round trip of 64 bytes between two JVMs, ns: p50 and p99 (HdrHistogram)", xproc.latencyBars(), "ns"),
                StandardCharsets.UTF_8);
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Figure f : micro.values()) {
            bars.add(new SvgChart.Bar(f.label(), f.score(), f.error(),
                    f.key().startsWith("Baseline") || f.key().startsWith("Jnr") || f.key().endsWith("fiveCheckedLoads")
                            || f.key().equals(NativeMutexBaseline.KEY)));
        }
        Files.writeString(cfg.out().resolve(chart), SvgChart.render("IpcArc: cost per operation, ns (log scale; grey = baselines) - "
                + machine.date() + (cfg.smoke() ? " (smoke run)" : ""), bars,
                "2 processes contending on one lock: latency of one locked increment, ns (HdrHistogram)",
                Report.latencyBars(contention.latency())), StandardCharsets.UTF_8);
        List<Floors.Floor> floors = new ArrayList<>(Floors.evaluate(micro));
        floors.addAll(ringAndKafkaFloors);
        for (Floors.Floor f : floors) {
            System.out.println("# floor: " + f.floor() + ": " + f.measured() + " -> " + f.verdict());
        }
        System.out.println("# wrote " + cfg.out().resolve("benchmarks.md") + " and " + cfg.out().resolve(chart));
    }

    /** JMH forks are started with -cp, so they need native access on the command line (JDK 22+). */
    private static String[] jmhForkArgs() {
        List<String> args = new ArrayList<>(JvmCommand.libraryOptions());
        args.add("-Xmx256m");
        return args.toArray(String[]::new);
    }

    private static Collection<RunResult> runJmh(SuiteConfig cfg) throws RunnerException {
        Options opt = new OptionsBuilder()
                .include(ArcBenchmarks.class.getName() + "\\.")
                .include(BaselineBenchmarks.class.getName() + "\\.")
                .include(JnrMutexBenchmarks.class.getName() + "\\.")
                .forks(cfg.forks())
                .warmupIterations(cfg.warmupIterations())
                .warmupTime(TimeValue.milliseconds(cfg.warmupMs()))
                .measurementIterations(cfg.iterations())
                .measurementTime(TimeValue.milliseconds(cfg.iterationMs()))
                .jvmArgsAppend(jmhForkArgs())
                .shouldFailOnError(true)
                .build();
        return new Runner(opt).run();
    }
}
