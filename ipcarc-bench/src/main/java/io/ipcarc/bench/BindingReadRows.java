package io.ipcarc.bench;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * read() of the 3-field record through each binding of one JDK (22+): FFM and jnr-ffi. A JVM has
 * one binding, so the two are timed in separate JVMs started alternately, one pair after the
 * other ({@link RatioHarness}'s {@code read} mode, the tenth percentile of short batches in each);
 * the ratio is the median of the pairs' ratios, so that the machine's load, which moves between
 * pairs, weighs on both sides of each.
 */
final class BindingReadRows {
    /** What {@link RatioHarness} prints the time under. */
    static final String HARNESS_ROW = "readTripleAlone.ns";
    /** Figure keys. */
    static final String FFM = "interleaved.readTriple.ffmAlone.ns";
    static final String JNR = "interleaved.readTriple.jnrAlone.ns";
    static final String RATIO = "ratio.readTriple.ffm/jnr";

    private BindingReadRows() {
    }

    /**
     * Runs the pairs on {@code jdk}, whose own binding must be FFM.
     *
     * @param jdk a JDK 22+ target with the FFM binding
     * @param pairs how many pairs of JVMs
     * @param rounds rounds of batches in each JVM
     * @return the figures keyed {@link #FFM}, {@link #JNR} and {@link #RATIO}; empty if a JVM failed
     */
    static Map<String, Figure> measure(JdkTarget jdk, int pairs, int rounds) {
        Map<String, Figure> out = new LinkedHashMap<>();
        double[] ffm = new double[pairs];
        double[] jnr = new double[pairs];
        double[] ratios = new double[pairs];
        try {
            for (int i = 0; i < pairs; i++) {
                ffm[i] = run(jdk, List.of(), rounds);
                // The later -D wins: the same JDK and options, the other binding. jnr-ffi uses
                // sun.misc.Unsafe, which JDK 24+ warns about unless allowed.
                jnr[i] = run(jdk, List.of("-Dipcarc.native=jnr", "--sun-misc-unsafe-memory-access=allow"), rounds);
                ratios[i] = ffm[i] / jnr[i];
                System.out.println(String.format(java.util.Locale.ROOT, "# read() pair %d on %s: ffm %.2f ns, jnr %.2f ns", i + 1,
                        jdk.label(), ffm[i], jnr[i]));
            }
        } catch (IllegalStateException e) {
            System.out.println("# read() per binding not measured: " + e.getMessage());
            return out;
        }
        out.put(FFM, figure(FFM, "read(), FFM binding, JVMs alternating with jnr-ffi", ffm, "ns/op"));
        out.put(JNR, figure(JNR, "read(), jnr-ffi binding on the same JDK", jnr, "ns/op"));
        out.put(RATIO, figure(RATIO, "read() FFM / jnr-ffi", ratios, "x"));
        return out;
    }

    private static Figure figure(String key, String label, double[] values, String unit) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Figure(key, label, sorted[sorted.length / 2], Double.NaN, unit, "median of " + sorted.length
                + " JVMs' tenth percentiles; range " + Floors.fmt(sorted[0]) + " - " + Floors.fmt(sorted[sorted.length - 1]));
    }

    private static double run(JdkTarget jdk, List<String> extra, int rounds) {
        List<String> options = new ArrayList<>(jdk.forkOptions());
        options.addAll(extra);
        JavaCommand cmd = JavaCommand.of(jdk.java()).withoutLibraryOptions().withOptions(options)
                .main(RatioHarness.class, "-", Integer.toString(rounds), "2000", "read");
        List<String> lines;
        try (ChildJvm harness = cmd.start()) {
            harness.awaitExit(Duration.ofMinutes(10));
            lines = harness.lines();
        }
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            if (f.length == 5 && f[0].equals("p10") && f[1].equals(HARNESS_ROW)) {
                return Double.parseDouble(f[2]);
            }
        }
        throw new IllegalStateException("no " + HARNESS_ROW + " line from " + cmd + ": " + lines);
    }
}
