package io.ipcarc.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The core part of docs/benchmarks.md (single-process costs on every JDK side by side, the floors,
 * where the time goes, cross-process contention), between two markers so that {@code --core}
 * runs can replace it and keep the other sections of the page as they are.
 */
public final class CoreReport {
    /** Opens the core part. */
    static final String BEGIN = "<!-- core:begin (BenchSuite writes this part; ./bench/run --core replaces only it) -->";
    /** Closes it. */
    static final String END = "<!-- core:end -->";
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private CoreReport() {
    }

    /**
     * Returns the Markdown of the core part, markers included.
     *
     * @param cfg the run's configuration
     * @param machine what it ran on
     * @param labels report order and labels of the single-process figures, by key
     * @param runs one per JDK, in column order
     * @param contention the cross-process harness (run on this JVM), or null if it did not run
     * @param chartFile the chart's file name, relative to the report
     * @return the Markdown of the core part, markers included
     */
    public static String render(SuiteConfig cfg, MachineInfo machine, Map<String, String> labels, List<CoreRun> runs,
                                ContentionHarness.Result contention, String chartFile) {
        StringBuilder s = new StringBuilder(BEGIN).append("\n\n");
        if (cfg.smoke()) {
            s.append("**Smoke run: the figures below only prove that the suite works; they are not measurements.**\n\n");
        }
        s.append("| | |\n|---|---|\n");
        s.append("| date (UTC) | ").append(machine.date()).append(" |\n");
        for (CoreRun r : runs) {
            s.append("| core rows | ").append(r.jdk().label()).append(" (`").append(r.jdk().java()).append("`) |\n");
        }
        s.append("| suite JVM (contention, ring) | ").append(machine.jdk()).append(" |\n");
        s.append("| CPU | ").append(machine.cpu()).append(", ").append(machine.cores())
                .append(" cores available, shared with other work while this ran |\n");
        s.append("| OS | ").append(machine.os()).append(" |\n");
        s.append("| JMH | ").append(cfg.forks()).append(" fork(s) x ").append(cfg.iterations()).append(" x ")
                .append(cfg.iterationMs()).append(" ms, warm-up ").append(cfg.warmupIterations()).append(" x ")
                .append(cfg.warmupMs()).append(" ms, average time; each JDK's JMH run is followed at once by its own ")
                .append("C baseline |\n\n");
        s.append("Errors are the half-width of the 99.9% confidence interval (JMH's convention; for the C ")
                .append("baseline and the cross-process harness, over their runs or intervals). Ratios carry the ")
                .append("relative errors of both figures added in quadrature. The machine has 2 cores shared with other ")
                .append("jobs, so absolute nanoseconds move by tens of percent from run to run: compare figures of the same ")
                .append("run (the same column), and read the floors as ratios against the baseline measured next to them. ")
                .append("The floors are judged on the interleaved figures of `RatioHarness` where it measures them (tenth percentiles ")
                .append("of 2,000-operation batches, both sides of a ratio timed within milliseconds of each other in one JVM), ")
                .append("because a JMH average includes every preemption: when JMH's error is larger than its score, other jobs ")
                .append("held the cores during that fork, and the figure says little about IpcArc.\n\n");
        s.append("![IpcArc costs per operation and cross-process latency](").append(chartFile).append(")\n\n");

        s.append("## Floors\n\n| JDK, binding | floor | measured | verdict |\n|---|---|---|---|\n");
        for (CoreRun r : runs) {
            for (Floors.Floor f : Floors.evaluate(r)) {
                s.append("| ").append(r.jdk().label()).append(" | ").append(f.floor()).append(" | ").append(f.measured())
                        .append(" | ").append(f.verdict().equals("met") ? "met" : "**" + f.verdict() + "**").append(" |\n");
            }
        }
        s.append('\n');
        for (CoreRun r : runs) {
            s.append(breakdown(r));
        }

        s.append("## Single process, one thread, uncontended\n\n| operation |");
        StringBuilder rule = new StringBuilder("|---|");
        for (CoreRun r : runs) {
            s.append(' ').append(r.jdk().label()).append(": ns/op | ").append(r.jdk().label()).append(": vs C pair |");
            rule.append("---:|---:|");
        }
        s.append('\n').append(rule).append('\n');
        Map<String, String> rows = new LinkedHashMap<>(labels);
        rows.put(NativeMutexBaseline.KEY, NativeMutexBaseline.LABEL);
        for (Map.Entry<String, String> row : rows.entrySet()) {
            s.append("| ").append(row.getValue()).append(" |");
            for (CoreRun r : runs) {
                Figure f = r.get(row.getKey());
                // Interleaved figures against the interleaved C pair, JMH figures against the C program.
                Figure base = r.get(row.getKey().startsWith("interleaved.") ? "interleaved.cPair.ns" : NativeMutexBaseline.KEY);
                s.append(' ').append(value(f)).append(" | ").append(ratio(f, base)).append(" |");
            }
            s.append('\n');
        }
        s.append('\n');
        if (contention != null) {
            s.append(contention(contention, machine));
        }
        s.append(END).append('\n');
        return s.toString();
    }

    /**
     * Returns the report with its core part replaced, everything else kept.
     *
     * @param existing a report with a core part between the markers
     * @param core a new core part, markers included
     * @return the report with its core part replaced, everything else kept
     * @throws IllegalArgumentException if {@code existing} has no core part
     */
    public static String splice(String existing, String core) {
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the existing report has no core part between its markers; run the full suite first");
        }
        return existing.substring(0, begin) + core + existing.substring(existing.indexOf('\n', end) + 1);
    }

    private static String contention(ContentionHarness.Result contention, MachineInfo machine) {
        StringBuilder s = new StringBuilder("## Cross-process: contention on one lock (suite JVM: ")
                .append(machine.jdk()).append(")\n\n");
        Figure t = contention.throughput();
        s.append("| what | figure |\n|---|---|\n");
        s.append("| ").append(t.label()).append(" | ").append(value(t)).append(" |\n");
        Histogram h = contention.latency();
        if (h.getTotalCount() > 0) {
            for (double p : PERCENTILES) {
                s.append("| latency ").append(Report.percentile(p)).append(" of one locked increment | ")
                        .append(Floors.fmt(h.getValueAtPercentile(p))).append(" ns |\n");
            }
            s.append("| latency max | ").append(Floors.fmt(h.getMaxValue())).append(" ns (").append(h.getTotalCount())
                    .append(" samples, warm-up excluded) |\n");
        }
        s.append("| final count exact | ").append(contention.countExact() ? "yes" : "**NO**").append(" (")
                .append(contention.note()).append(") |\n\n");
        return s.toString();
    }

    /** Where the time of acquire()+close() and of read() goes on one JDK, from figures of its run. */
    private static String breakdown(CoreRun r) {
        boolean inter = r.get("interleaved.step.pair.ns").measured();
        String how = inter ? "tenth percentiles of `RatioHarness`'s interleaved batches, each step rebuilt on top of the previous one"
                : "JMH; each step rebuilt on top of the previous one by `AcquireStepBenchmarks`";
        Figure ac = r.get(inter ? "interleaved.acquireClose.ns" : Floors.ACQUIRE_CLOSE);
        Figure c = r.get(inter ? "interleaved.cPair.ns" : NativeMutexBaseline.KEY);
        Figure pair = r.get(inter ? "interleaved.step.pair.ns" : "AcquireStepBenchmarks.pair");
        Figure words = r.get(inter ? "interleaved.step.pairWords.ns" : "AcquireStepBenchmarks.pairWords");
        Figure guard = r.get(inter ? "interleaved.step.pairWordsGuard.ns" : "AcquireStepBenchmarks.pairWordsGuard");
        StringBuilder s = new StringBuilder();
        if (ac.measured() && c.measured() && pair.measured() && words.measured() && guard.measured()) {
            s.append("Where acquire()+close() goes on ").append(r.jdk().label()).append(" (").append(how)
                    .append("): the C pair ").append(Floors.fmt(c.score()))
                    .append(" ns; the trylock + unlock calls through the binding ").append(Floors.fmt(pair.score()))
                    .append(" ns; + the twelve accesses of shared words through the library's own path (kind check, owner pid, ")
                    .append("commit word, owner-died flag, mutex integrity) ").append(delta(words, pair))
                    .append(" ns; + the two closed checks, the lock holder recorded and cleared, the owner-thread check and the ")
                    .append("guard object ").append(delta(guard, words))
                    .append(" ns; the library's call structure, the rest ").append(delta(ac, guard)).append(" ns, of ")
                    .append(Floors.fmt(ac.score())).append(" ns in all.\n\n");
        }
        Figure read = r.get(Floors.READ_TRIPLE);
        Figure loads = r.get("ArcBenchmarks.fiveCheckedLoads");
        if (read.measured() && loads.measured()) {
            s.append("Where read() of the 3-field record goes on ").append(r.jdk().label()).append(" (same run): five ")
                    .append("checked loads of shared memory (the commit word twice, three fields) with their two fences cost ")
                    .append(Floors.fmt(loads.score())).append(" ns of its ").append(Floors.fmt(read.score()))
                    .append(" ns; the rest is the record allocation, the retry loop and the call.\n\n");
        }
        return s.toString();
    }

    private static String delta(Figure a, Figure b) {
        return (a.score() >= b.score() ? "+" : "") + Floors.fmt(a.score() - b.score());
    }

    static String value(Figure f) {
        if (!f.measured()) {
            return "-";
        }
        if (Double.isNaN(f.error()) && !f.note().isEmpty()) {
            return Floors.fmt(f.score()) + " (" + f.note() + ")";
        }
        return Floors.fmt(f.score()) + " ± " + Floors.fmt(f.error());
    }

    static String ratio(Figure f, Figure base) {
        if (base == null || !base.measured() || !f.measured()) {
            return "-";
        }
        double[] r = f.ratioTo(base);
        return Double.isNaN(r[1]) ? Floors.fmt(r[0]) + "x" : Floors.fmt(r[0]) + "x ± " + Floors.fmt(r[1]);
    }
}
