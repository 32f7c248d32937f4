package io.ipcarc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How long each part of the suite runs: the full run behind docs/benchmarks.md (a few
 * minutes on 2 cores), or a smoke run (seconds) that only proves everything still works.
 *
 * @param smoke whether this is the smoke run
 * @param out where the report and chart are written
 * @param forks JMH forks per benchmark
 * @param warmupIterations JMH warm-up iterations
 * @param warmupMs length of a warm-up iteration
 * @param iterations JMH measurement iterations
 * @param iterationMs length of a measurement iteration
 * @param cIterations lock+unlock pairs per run of the C baseline
 * @param cRuns runs (samples) of the C baseline
 * @param contentionWarmupMs warm-up of each contending process
 * @param contentionIntervals throughput samples of the contention harness
 * @param contentionIntervalMs length of one sample
 * @param contentionLatencyMs how long each process records latencies
 * @param jdks the JDKs the core benchmarks run on, each in its own JMH forks (empty: this JVM's)
 * @param coreOnly whether only the core rows run; the other sections of an existing report are kept
 */
public record SuiteConfig(boolean smoke, Path out, int forks, int warmupIterations, int warmupMs, int iterations,
                          int iterationMs, long cIterations, int cRuns, long contentionWarmupMs,
                          int contentionIntervals, long contentionIntervalMs, long contentionLatencyMs,
                          List<Path> jdks, boolean coreOnly) {

    /** What {@code --help} prints. */
    public static final String USAGE = String.join("\n",
            "usage: java -jar ipcarc-bench/target/ipcarc-bench.jar [--smoke] [--quick] [--core | --ring | --jfr | --map]",
            "       [--jdk JAVA_HOME]... [--out DIR]",
            "  (no option)  the full suite, about 25 minutes on 2 cores; rewrites docs/benchmarks.md and its charts",
            "  --smoke      a few seconds of each part, to check that everything runs; writes ipcarc-bench/target/smoke/",
            "  --jdk HOME   run the core benchmarks on this JDK (repeatable: one column each); default: this JVM",
            "  --quick      shorter JMH runs (1 fork x 3 x 1 s, warm-up 2 x 1 s): a few minutes per JDK on a busy machine",
            "  --core       only the core rows (single process, contention); keeps the other sections of DIR/benchmarks.md",
            "  --ring       only the ring rows (separate JVMs, the Kafka reporter included) and their floors;",
            "               rewrites only the ring section of",
            "               benchmarks.md and benchmarks-ring.svg (combine with --smoke and --out)",
            "  --jfr        only acquire + close without and with a JFR recording, on each --jdk; rewrites only",
            "               its section of benchmarks.md (combine with --smoke and --out)",
            "  --map        only the map rows (IpcMap beside Chronicle Map and ConcurrentHashMap), one JVM per --jdk;",
            "               rewrites only the map section of benchmarks.md",
            "  --out DIR    where to write benchmarks.md and the charts",
            "  --help       this text");

    /**
     * Returns the configuration, or null if {@code --help} was asked for.
     *
     * @param args {@code --smoke}, {@code --quick}, {@code --core}, {@code --jdk HOME} (repeatable), {@code --out DIR};
     *     {@code -Dipcarc.bench.smoke=true} also selects smoke
     * @return the configuration, or null if {@code --help} was asked for
     * @throws IllegalArgumentException on an unknown argument
     */
    public static SuiteConfig parse(String[] args) {
        boolean smoke = Boolean.getBoolean("ipcarc.bench.smoke");
        Path out = null;
        List<Path> jdks = new ArrayList<>();
        boolean core = false;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--core" -> core = true;
                case "--quick" -> quick = true;
                case "--jdk" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--jdk needs a JDK home directory (try --help)");
                    }
                    jdks.add(Path.of(args[++i]));
                }
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a directory (try --help)");
                    }
                    out = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (usage: [--smoke] [--quick] [--core] [--jdk HOME]... [--out DIR]; try --help)");
            }
        }
        if (smoke) {
            return new SuiteConfig(true, out != null ? out : Path.of("ipcarc-bench", "target", "smoke"),
                    1, 1, 100, 2, 100, 200_000, 3, 200, 3, 100, 200, List.copyOf(jdks), core);
        }
        return new SuiteConfig(false, out != null ? out : Path.of("docs"),
                quick ? 1 : 2, quick ? 2 : 3, 1000, quick ? 3 : 5, 1000, 10_000_000, 10, 2000, 10, 1000, 3000, List.copyOf(jdks), core);
    }
}
