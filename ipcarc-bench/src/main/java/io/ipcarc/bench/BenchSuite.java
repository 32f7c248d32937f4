package io.ipcarc.bench;

import io.ipcarc.bench.kafka.KafkaReporterThroughput;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
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
        LABELS.put("OffHeapBaselineBenchmarks.varHandleGetAndAdd",
                "baseline: VarHandle getAndAdd on plain off-heap memory (JDK 22+: MemorySegment; 17: direct ByteBuffer)");
        LABELS.put("ArcBenchmarks.createLoadClose", "create + load + close of a segment");
        LABELS.put("JnrMutexBenchmarks.jnrLockUnlock", "diagnostic: the same pthread lock + unlock through jnr-ffi, no IpcArc");
        LABELS.put("FfmMutexBenchmarks.ffmLockUnlock", "diagnostic: pthread lock + unlock as ordinary FFM downcalls, no IpcArc");
        LABELS.put("FfmMutexBenchmarks.ffmCriticalTrylockUnlock",
                "diagnostic: pthread trylock + unlock as critical FFM downcalls, no IpcArc");
        LABELS.put("interleaved.acquireClose.ns", "interleaved (RatioHarness, p10 of 2000-op batches): IpcArc<Long> acquire() + close()");
        LABELS.put("interleaved.cPair.ns", "interleaved: C pthread lock + unlock (pair_loop.c, one foreign call per batch)");
        LABELS.put("interleaved.readTriple.ns", "interleaved: IpcArc<Triple> read()");
        LABELS.put("interleaved.readString16.ns", "interleaved: read() of {long, @ShmString(16) String, long}");
        LABELS.put("interleaved.readTwoLongs.ns", "interleaved: read() of {long, long, long, long} (two longs for the string)");
        LABELS.put("interleaved.getAndAddLong.ns", "interleaved: SharedBuffer.getAndAddLong");
        LABELS.put("interleaved.plainGetAndAdd.ns", "interleaved: VarHandle getAndAdd on plain off-heap memory");
        LABELS.put("interleaved.fileChannelLock.ns", "interleaved: FileChannel.lock() + release (200-op batches)");
        LABELS.put("interleaved.step.pair.ns", "interleaved steps: trylock + unlock through this JDK's binding");
        LABELS.put("interleaved.step.pairWords.ns", "interleaved steps: + 12 accesses of shared words (the library's own path)");
        LABELS.put("interleaved.step.pairWordsGuard.ns",
                "interleaved steps: + closed checks, lock holder, owner-thread check and guard object");
        LABELS.put("AcquireStepBenchmarks.pair", "steps: trylock + unlock through this JDK's binding");
        LABELS.put("AcquireStepBenchmarks.pairWords", "steps: + 12 accesses of shared words (the library's own path)");
        LABELS.put("AcquireStepBenchmarks.pairWordsGuard", "steps: + closed checks, lock holder, owner-thread check and guard object");
        LABELS.put("BaselineBenchmarks.reentrantLock", "baseline: ReentrantLock lock + unlock (in-process)");
        LABELS.put("BaselineBenchmarks.fileChannelLock", "baseline: FileChannel.lock() + release (JDK, cross-process)");
    }

    private BenchSuite() {
    }

    /**
     * Runs the suite and writes the report.
     *
     * @param args see {@link SuiteConfig#USAGE}; {@code --ring} runs only the ring rows, {@code --map} only the map rows
     * @throws RunnerException if JMH fails
     * @throws IOException if the report cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        // --ring: only the ring rows (separate JVMs); rewrites only the ring section of benchmarks.md.
        // --jfr: only acquire + close without and with a JFR recording, on each JDK; rewrites only its section.
        boolean ringOnly = java.util.Arrays.asList(args).contains("--ring");
        boolean jfrOnly = java.util.Arrays.asList(args).contains("--jfr");
        // --map: only the map rows (one JVM per JDK); rewrites only the map section of benchmarks.md.
        boolean mapOnly = java.util.Arrays.asList(args).contains("--map");
        SuiteConfig cfg;
        try {
            cfg = SuiteConfig.parse(java.util.Arrays.stream(args).filter(a -> !a.equals("--ring") && !a.equals("--jfr")
                    && !a.equals("--map"))
                    .toArray(String[]::new));
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
        List<JdkTarget> jdks = targets(cfg);
        if (jdks == null) {
            System.exit(2);
            return;
        }
        if (jfrOnly) {
            JfrBench.run(cfg, jdks);
            return;
        }
        if (mapOnly) {
            io.ipcarc.bench.map.MapBench.run(cfg.smoke(), cfg.out(), cfg.jdks().isEmpty() ? List.of() : jdks);
            return;
        }
        List<CoreRun> runs = new ArrayList<>();
        for (JdkTarget jdk : jdks) {
            runs.add(runCore(cfg, jdk));
        }
        System.out.println("# cross-process contention, 2 JVMs");
        ContentionHarness.Result contention = ContentionHarness.run(2, cfg.contentionWarmupMs(),
                cfg.contentionIntervals(), cfg.contentionIntervalMs(), cfg.contentionLatencyMs());

        Files.createDirectories(cfg.out());
        String chart = "benchmarks.svg";
        java.nio.file.Path report = cfg.out().resolve("benchmarks.md");
        List<Floors.Floor> xprocFloors = new ArrayList<>();
        if (cfg.coreOnly()) {
            String core = CoreReport.render(cfg, machine, LABELS, runs, contention, chart);
            Files.writeString(report, CoreReport.splice(Files.readString(report, StandardCharsets.UTF_8), core), StandardCharsets.UTF_8);
        } else {
            System.out.println("# ring across processes: throughput, ping-pong, end to end, reporter CPU");
            int reps = cfg.smoke() ? 1 : io.ipcarc.bench.xproc.XprocSuite.FULL_REPS;
            io.ipcarc.bench.xproc.XprocSuite xproc = new io.ipcarc.bench.xproc.XprocSuite(cfg.smoke(), reps, null);
            String xprocMarkdown = xproc.run();
            System.out.println("# Kafka reporter into a local broker, beside the CSV reporter");
            KafkaReporterThroughput.Result kafka = KafkaReporterThroughput.measureForSuite(cfg.smoke());
            String ringChart = "benchmarks-ring.svg";
            xprocFloors.addAll(xproc.floors());
            xprocFloors.add(kafka.floor());
            String jfr = JfrBench.section(cfg, jdks, machine, jdk -> runs.stream().filter(r -> r.jdk().equals(jdk)).findFirst()
                    .map(r -> r.get(JfrBench.CORE)).orElse(null));
            String before = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "";
            Files.writeString(report, io.ipcarc.bench.map.MapBench.keep(before, Report.render(cfg, machine, LABELS, runs, contention,
                    chart, xprocMarkdown + kafka.markdown(), xprocFloors, ringChart, jfr)), StandardCharsets.UTF_8);
            Files.writeString(cfg.out().resolve(ringChart), SvgChart.render("Ring across processes: messages/s (log scale; grey = "
                    + "Agrona and sockets) - " + machine.date() + (cfg.smoke() ? " (smoke run)" : ""), xproc.throughputBars(), "msg/s",
                    "Ping-pong round trip of 64 bytes between two JVMs, ns: p50 and p99 (HdrHistogram)", xproc.latencyBars(), "ns"),
                    StandardCharsets.UTF_8);
        }
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (CoreRun r : runs) {
            for (Figure f : r.micro().values()) {
                bars.add(new SvgChart.Bar(r.jdk().tag() + ": " + f.label(), f.score(), f.error(), isBaseline(f.key())));
            }
        }
        Files.writeString(cfg.out().resolve(chart), SvgChart.render("IpcArc: cost per operation, ns (log scale; grey = baselines) - "
                + machine.date() + (cfg.smoke() ? " (smoke run)" : ""), bars,
                "2 processes contending on one lock: latency of one locked increment, ns (HdrHistogram)",
                Report.latencyBars(contention.latency())), StandardCharsets.UTF_8);
        for (CoreRun r : runs) {
            for (Floors.Floor f : Floors.evaluate(r)) {
                System.out.println("# floor, " + r.jdk().label() + ": " + f.floor() + ": " + f.measured() + " -> " + f.verdict());
            }
        }
        for (Floors.Floor f : xprocFloors) {
            System.out.println("# floor: " + f.floor() + ": " + f.measured() + " -> " + f.verdict());
        }
        System.out.println("# wrote " + report + " and " + cfg.out().resolve(chart));
    }

    /** @return the JDKs named by --jdk (this one if none), or null after printing why one cannot be used */
    private static List<JdkTarget> targets(SuiteConfig cfg) {
        List<JdkTarget> jdks = new ArrayList<>();
        try {
            for (java.nio.file.Path home : cfg.jdks()) {
                jdks.add(JdkTarget.of(home));
            }
            if (jdks.isEmpty()) {
                jdks.add(JdkTarget.current());
            }
            return jdks;
        } catch (IllegalArgumentException e) {
            System.err.println("ipcarc-bench: " + e.getMessage());
            return null;
        }
    }

    private static boolean isBaseline(String key) {
        return key.startsWith("Baseline") || key.startsWith("Jnr") || key.startsWith("Ffm") || key.startsWith("OffHeap")
                || key.startsWith("AcquireStep") || key.endsWith("fiveCheckedLoads") || key.equals(NativeMutexBaseline.KEY);
    }

    /** One JDK's JMH benchmarks, then at once the C baseline, so that its ratios come from the same run. */
    private static CoreRun runCore(SuiteConfig cfg, JdkTarget jdk) throws RunnerException {
        System.out.println("# core benchmarks on " + jdk.label());
        Map<String, Figure> micro = new LinkedHashMap<>();
        for (RunResult r : runJmh(cfg, jdk)) {
            String bench = r.getParams().getBenchmark();
            String key = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            org.openjdk.jmh.results.Result<?> p = r.getPrimaryResult();
            micro.put(key, new Figure(key, LABELS.getOrDefault(key, key), p.getScore(), p.getScoreError(), p.getScoreUnit(), ""));
        }
        System.out.println("# C baseline after " + jdk.label() + ": " + cfg.cRuns() + " x " + cfg.cIterations() + " pairs");
        micro.put(NativeMutexBaseline.KEY, NativeMutexBaseline.measure(cfg.cIterations(), cfg.cRuns()));
        System.out.println("# interleaved ratios on " + jdk.label());
        micro.putAll(interleaved(cfg, jdk));
        if ("ffm".equals(jdk.binding())) {
            System.out.println("# read() through each binding of " + jdk.label() + ", JVMs alternating");
            micro.putAll(BindingReadRows.measure(jdk, cfg.smoke() ? 1 : 7, cfg.smoke() ? 50 : 3000));
        }
        return new CoreRun(jdk, micro);
    }

    /**
     * Runs {@link RatioHarness} on {@code jdk}: every operation timed in short batches, all of them
     * in each round, one right after the other.
     *
     * @param cfg the suite's settings
     * @param jdk the JDK to run it on
     * @return figures keyed {@code ratio.NAME} and {@code interleaved.NAME}: tenth percentiles, the
     *     spread in the note
     */
    static Map<String, Figure> interleaved(SuiteConfig cfg, JdkTarget jdk) {
        Map<String, Figure> out = new LinkedHashMap<>();
        try (NativeProgram lib = NativeProgram.build("pair_loop.c", "-shared", "-fPIC", "-pthread")) {
            if (lib.failure() != null) {
                System.out.println("# interleaved ratios not measured: " + lib.failure());
                return out;
            }
            // The fork's options name its binding; this JVM's own choice is not passed on.
            JavaCommand cmd = JavaCommand.of(jdk.java()).withoutLibraryOptions().withOptions(jdk.forkOptions())
                    .main(RatioHarness.class, lib.binary().toString(), cfg.smoke() ? "50" : "3000", "2000");
            List<String> lines;
            try (ChildJvm harness = cmd.start()) {
                harness.awaitExit(Duration.ofMinutes(30));
                lines = harness.lines();
            }
            for (String line : lines) {
                String[] f = line.trim().split(" ");
                if (f.length == 5 && f[0].equals("p10")) {
                    boolean ratio = f[1].contains("/");
                    String key = (ratio ? "ratio." : "interleaved.") + f[1];
                    out.put(key, new Figure(key, f[1], Double.parseDouble(f[2]), Double.NaN, ratio ? "x" : "ns/op",
                            (ratio ? "per-round quartiles " : "p25 ") + Floors.fmt(Double.parseDouble(f[3]))
                                    + (ratio ? " - " : ", median ") + Floors.fmt(Double.parseDouble(f[4]))));
                } else {
                    System.out.println("# ratio harness: " + line);
                }
            }
        } catch (IllegalStateException e) {
            System.out.println("# interleaved ratios not measured: " + e.getMessage());
        }
        return out;
    }

    private static Collection<RunResult> runJmh(SuiteConfig cfg, JdkTarget jdk) throws RunnerException {
        OptionsBuilder opt = new OptionsBuilder();
        opt.include(ArcBenchmarks.class.getName() + "\\.")
                .include(BaselineBenchmarks.class.getName() + "\\.")
                .include(OffHeapBaselineBenchmarks.class.getName() + "\\.")
                .include(AcquireStepBenchmarks.class.getName() + "\\.")
                .include(("ffm".equals(jdk.binding()) ? FfmMutexBenchmarks.class : JnrMutexBenchmarks.class).getName() + "\\.");
        Options options = opt
                .jvm(jdk.java().toString())
                .forks(cfg.forks())
                .warmupIterations(cfg.warmupIterations())
                .warmupTime(TimeValue.milliseconds(cfg.warmupMs()))
                .measurementIterations(cfg.iterations())
                .measurementTime(TimeValue.milliseconds(cfg.iterationMs()))
                .jvmArgsAppend(jdk.forkOptions().toArray(String[]::new))
                .shouldFailOnError(true)
                .build();
        return new Runner(options).run();
    }
}
