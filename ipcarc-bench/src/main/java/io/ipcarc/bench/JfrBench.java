package io.ipcarc.bench;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * What a JFR recording costs the uncontended {@code acquire()} + {@code close()}: {@link RatioHarness}
 * in its {@code jfr} mode times batches of it with no recording and with one running (JFR's
 * {@code default} settings, and IpcArc's events enabled with no threshold), alternating in phases
 * within one JVM per JDK, and gives the ratio. The library's events sit on slow paths only (a busy
 * lock, a dead owner, a reap), so the expected ratio is 1 within noise; this section shows it.
 * {@code ./bench/run --jfr} runs only this and rewrites only its section of benchmarks.md (between
 * {@value #BEGIN} and {@value #END}, inserted before {@code ## Reproduce} the first time); the full
 * suite runs it too.
 */
public final class JfrBench {
    /** Start of the section. */
    static final String BEGIN = "<!-- jfr section: ./bench/run --jfr rewrites it -->";
    /** End of the section. */
    static final String END = "<!-- end of the jfr section -->";
    /** The core suite's acquire + close row ({@link RatioHarness}, interleaved), the baseline of "as before". */
    static final String CORE = "interleaved.acquireClose.ns";
    /** The events of the library, enabled with no threshold in the recording. */
    private static final List<String> EVENTS = List.of("io.ipcarc.LockWait", "io.ipcarc.OwnerDeathRecovered",
            "io.ipcarc.HoldersReaped", "io.ipcarc.ReaderLapped", "io.ipcarc.RingWriterBlocked",
            "io.ipcarc.KafkaTransactionCommit");

    /** One JDK's figures: {@code p10 NAME VALUE LOW HIGH} lines of the harness, by name. */
    private record Run(JdkTarget jdk, List<String[]> lines, Figure core) {
        String[] get(String name) {
            return lines.stream().filter(f -> f[1].equals(name)).findFirst().orElse(null);
        }
    }

    private JfrBench() {
    }

    /**
     * A recording as an operator starts one: JFR's {@code default} settings, IpcArc's events on
     * with no threshold.
     *
     * @return the recording, not started
     * @throws IOException if the JDK's {@code default} settings cannot be read
     */
    static Recording recording() throws IOException {
        Configuration c;
        try {
            c = Configuration.getConfiguration("default");
        } catch (ParseException e) {
            throw new IOException("JFR's default settings do not parse: " + e.getMessage(), e);
        }
        Recording r = new Recording(c);
        for (String e : EVENTS) {
            r.enable(e).withThreshold(java.time.Duration.ZERO);
        }
        return r;
    }

    /**
     * Runs the JFR rows on each JDK and returns the section.
     *
     * @param cfg the suite's settings (a smoke run only proves the rows work)
     * @param jdks the JDKs, one row each
     * @param machine what it runs on
     * @param core the core suite's acquire + close row ({@link #CORE}) of a JDK, measured in the same
     *     run; {@code null} when it was not
     * @return the section's Markdown, markers included
     * @throws IOException if a harness cannot be started
     */
    static String section(SuiteConfig cfg, List<JdkTarget> jdks, MachineInfo machine, Function<JdkTarget, Figure> core)
            throws IOException {
        boolean smoke = cfg.smoke();
        List<Run> runs = new ArrayList<>();
        int rounds = smoke ? 200 : 3000;
        for (JdkTarget jdk : jdks) {
            Figure coreRow = core.apply(jdk);
            System.out.println("# acquire + close with and without a JFR recording, on " + jdk.label());
            JavaCommand cmd = JavaCommand.of(jdk.java()).withoutLibraryOptions().withOptions(jdk.forkOptions())
                    .main(RatioHarness.class, "-", String.valueOf(rounds), "2000", "jfr");
            List<String> output;
            try (ChildJvm harness = cmd.start()) {
                harness.awaitExit(Duration.ofMinutes(30));
                output = harness.lines();
            }
            List<String[]> lines = new ArrayList<>();
            for (String line : output) {
                String[] f = line.trim().split(" ");
                if (f.length == 5 && f[0].equals("p10")) {
                    lines.add(f);
                } else {
                    System.out.println("# jfr harness: " + line);
                }
            }
            runs.add(new Run(jdk, lines, coreRow));
        }
        StringBuilder s = new StringBuilder(BEGIN).append("\n## JFR: acquire + close while a recording runs\n\n");
        if (smoke) {
            s.append("**Smoke run: the figures below only prove that the rows work; they are not measurements.**\n\n");
        }
        s.append(String.format(Locale.ROOT, "Measured by `./bench/run --jfr` on %s, %s, %d cores shared with other work. One JVM "
                + "per JDK times %,d batches of 2,000 uncontended `acquire()` + `close()` on one segment, in phases of "
                + "%d batches: no recording, then a recording (JFR's `default` settings, IpcArc's events on with no threshold), "
                + "and so on; tenth percentiles of the per-batch times (`RatioHarness`). *Recording / none* is the cost of "
                + "a running recording, from the same JVM. Right before it, in the same run, the core suite's interleaved "
                + "harness measures its acquire + close row on the same JDK in a JVM where JFR is never started and no "
                + "event class of the library is ever loaded: the cost as before the events existed. *No recording / core* "
                + "compares the two; they are different JVMs with different neighbours in their loops, so a few percent "
                + "either way is the noise of that comparison. The library makes its events only on slow paths (a busy "
                + "lock, a dead owner, a reap, a lapped reader, a blocked writer, a Kafka commit): the uncontended path is "
                + "the same code with or without JFR.%n%n", machine.date(), machine.cpu(), machine.cores(),
                rounds, RatioHarness.JFR_PHASE));
        s.append("| JDK, binding | core row, same run: ns/op | no recording: ns/op (p25, median) | recording: ns/op (p25, median) "
                + "| recording / none (per-round quartiles) | no recording / core |\n|---|---:|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            String[] off = r.get("acquireClose.jfrOff.ns");
            String[] on = r.get("acquireClose.jfrOn.ns");
            String[] ratio = r.get("acquireClose.jfrOn/jfrOff");
            if (off == null || on == null || ratio == null) {
                s.append("| ").append(r.jdk().label()).append(" | not measured (see the suite's output) | | | | |\n");
                continue;
            }
            boolean hasCore = r.core() != null && !Double.isNaN(r.core().score());
            s.append("| ").append(r.jdk().label()).append(" | ")
                    .append(hasCore ? String.format(Locale.ROOT, "%.1f (%s)", r.core().score(), r.core().note()) : "not measured")
                    .append(" | ").append(ns(off)).append(" | ").append(ns(on)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3fx (%.3f - %.3f)", d(ratio[2]), d(ratio[3]), d(ratio[4])))
                    .append(" | ").append(hasCore ? String.format(Locale.ROOT, "%.3fx", d(off[2]) / r.core().score()) : "")
                    .append(" |\n");
        }
        return s.append('\n').append(END).append('\n').toString();
    }

    private static String ns(String[] f) {
        return String.format(Locale.ROOT, "%.1f (%.1f, %.1f)", d(f[2]), d(f[3]), d(f[4]));
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    /**
     * Runs the core suite's acquire + close row and the JFR rows on each JDK, and rewrites only
     * their section of {@code benchmarks.md} in the configured output directory.
     *
     * @param cfg the suite's settings
     * @param jdks the JDKs, one row each
     * @throws IOException if a file cannot be read or written
     */
    static void run(SuiteConfig cfg, List<JdkTarget> jdks) throws IOException {
        String section = section(cfg, jdks, MachineInfo.current(), jdk -> {
            System.out.println("# the core suite's interleaved acquire + close, on " + jdk.label());
            return BenchSuite.interleaved(cfg, jdk).get(CORE);
        });
        Path out = cfg.out();
        Files.createDirectories(out);
        Path md = out.resolve("benchmarks.md");
        String doc = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : "";
        Files.writeString(md, splice(doc, section), StandardCharsets.UTF_8);
        System.out.print(section);
        System.out.println("# wrote the JFR section of " + md);
    }

    /**
     * @param doc benchmarks.md as it is
     * @param section the new section
     * @return the page with the section between its markers, else before {@code ## Reproduce}, else appended
     */
    static String splice(String doc, String section) {
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        if (b >= 0 && e > b) {
            return doc.substring(0, b) + section + doc.substring(e + END.length()).replaceFirst("^\n", "");
        }
        int r = doc.indexOf("## Reproduce");
        if (r >= 0) {
            return doc.substring(0, r) + section + "\n" + doc.substring(r);
        }
        return doc + (doc.isEmpty() || doc.endsWith("\n") ? "" : "\n") + section;
    }
}
