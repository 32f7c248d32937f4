package io.ipcarc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The performance floors for the core, checked against figures of the same run. */
public final class Floors {
    /** Keys of the figures the floors use. */
    static final String ACQUIRE_CLOSE = "ArcBenchmarks.acquireClose";
    static final String READ_TRIPLE = "ArcBenchmarks.readTriple";
    static final String ACQUIRE_GET_CLOSE_TRIPLE = "ArcBenchmarks.acquireGetCloseTriple";
    static final String FILE_LOCK = "BaselineBenchmarks.fileChannelLock";
    static final String GET_AND_ADD = "ArcBenchmarks.getAndAddLong";
    static final String VAR_HANDLE_GET_AND_ADD = "OffHeapBaselineBenchmarks.varHandleGetAndAdd";

    /**
     * One floor and how this run did.
     *
     * @param floor the requirement, in words
     * @param measured the number behind the verdict
     * @param verdict {@code met}, {@code MISSED} or {@code not measured}
     */
    public record Floor(String floor, String measured, String verdict) {
    }

    private Floors() {
    }

    /**
     * The floors of issue 9 for the binding of {@code run}: FFM (JDK 22+) acquire+close within
     * 1.5x of the C pair, read() of the record at most 8 ns, getAndAddLong within 2x of a plain
     * VarHandle getAndAdd; jnr-ffi within 2.5x and 15 ns. Both: acquire+close 30x faster than
     * FileChannel.lock(), read() 3x faster than acquire+get+close.
     *
     * @param run the figures of one JDK's run
     * @return the core floors with verdicts
     */
    public static List<Floor> evaluate(CoreRun run) {
        boolean ffm = "ffm".equals(run.jdk().binding());
        double pairLimit = ffm ? 1.5 : 2.5;
        double readLimit = ffm ? 8 : 15;
        String pairText = ffm ? "1.5" : "2.5";
        String readText = ffm ? "8" : "15";
        Figure ac = run.get(ACQUIRE_CLOSE);
        Figure c = run.get(NativeMutexBaseline.KEY);
        Figure read = run.get(READ_TRIPLE);
        List<Floor> out = new ArrayList<>();
        out.add(interleaved("acquire+close within " + pairText + "x of the C pthread lock+unlock pair",
                run.get("ratio.acquireClose/cPair"), ac, c, "acquire+close / C pair", r -> r <= pairLimit));
        Figure readMedian = run.get("interleaved.readTriple.ns");
        String readFloor = "read() of the 3-field record at most " + readText + " ns";
        if (readMedian.measured()) {
            out.add(new Floor(readFloor, fmt(readMedian.score()) + " ns (interleaved, tenth percentile; " + readMedian.note()
                    + "); JMH forks: " + (read.measured() ? fmt(read.score()) + " ± " + fmt(read.error()) + " ns" : "-"),
                    readMedian.score() <= readLimit ? "met" : "MISSED"));
        } else if (read.measured()) {
            out.add(new Floor(readFloor, fmt(read.score()) + " ± " + fmt(read.error()) + " ns",
                    read.score() <= readLimit ? "met" : "MISSED"));
        } else {
            out.add(new Floor(readFloor, "-", "not measured"));
        }
        if (ffm) {
            out.addAll(bindingRead(run, readMedian));
            out.add(interleaved("getAndAddLong within 2x of a VarHandle getAndAdd on a plain off-heap segment",
                    run.get("ratio.getAndAddLong/plainGetAndAdd"), run.get(GET_AND_ADD), run.get(VAR_HANDLE_GET_AND_ADD),
                    "getAndAddLong / VarHandle getAndAdd", r -> r <= 2));
        }
        out.add(interleaved("acquire+close at least 30x faster than FileChannel.lock()", run.get("ratio.fileChannelLock/acquireClose"),
                run.get(FILE_LOCK), ac, "FileChannel.lock / acquire+close", r -> r >= 30));
        Figure stringRatio = run.get("ratio." + StringReadRows.RATIO);
        String stringFloor = "read() of a record with a 16-byte string at most 2x the same record with two longs in its place";
        out.add(stringRatio.measured()
                ? new Floor(stringFloor, "read(string) / read(two longs) = " + fmt(stringRatio.score())
                        + " (interleaved, ratio of the tenth percentiles; " + stringRatio.note() + ")",
                        stringRatio.score() <= 2 ? "met" : "MISSED")
                : new Floor(stringFloor, "-", "not measured"));
        out.add(ratio("read() of the 3-field record at least 3x faster than acquire+get+close", run.get(ACQUIRE_GET_CLOSE_TRIPLE),
                read, "acquire+get+close / read", r -> r >= 3));
        return out;
    }

    /**
     * Issue 23's floors for FFM's read(): within 1.1x of the jnr-ffi binding's on the same JDK
     * ({@link BindingReadRows}) and at most 5 ns.
     */
    private static List<Floor> bindingRead(CoreRun run, Figure readMedian) {
        Figure ratio = run.get(BindingReadRows.RATIO);
        Figure ffm = run.get(BindingReadRows.FFM);
        Figure jnr = run.get(BindingReadRows.JNR);
        String ratioFloor = "read() through FFM within 1.1x of jnr-ffi's on the same JDK";
        Floor byRatio = ratio.measured()
                ? new Floor(ratioFloor, "FFM / jnr-ffi = " + fmt(ratio.score()) + " (" + ratio.note() + "; FFM " + fmt(ffm.score())
                        + " ns, jnr-ffi " + fmt(jnr.score()) + " ns)", ratio.score() <= 1.1 ? "met" : "MISSED")
                : new Floor(ratioFloor, "-", "not measured");
        String fiveFloor = "read() of the 3-field record at most 5 ns through FFM";
        Floor five = readMedian.measured()
                ? new Floor(fiveFloor, fmt(readMedian.score()) + " ns (interleaved, tenth percentile; " + readMedian.note() + ")",
                        readMedian.score() <= 5 ? "met" : "MISSED")
                : new Floor(fiveFloor, "-", "not measured");
        return List.of(byRatio, five);
    }

    /**
     * A ratio floor judged on the interleaved figure (both sides timed in alternating short batches
     * in one JVM, {@link RatioHarness}; the ratio of their tenth percentiles) when there is one, with
     * JMH's ratio of averages from separate forks beside it.
     */
    private static Floor interleaved(String text, Figure median, Figure num, Figure den, String what,
                                     java.util.function.DoublePredicate ok) {
        Floor jmh = ratio(text, num, den, what, ok);
        if (!median.measured()) {
            return jmh;
        }
        return new Floor(text, what + " = " + fmt(median.score()) + " (interleaved, ratio of the tenth percentiles; " + median.note()
                + "); JMH forks: " + jmh.measured().replace(what + " = ", ""), ok.test(median.score()) ? "met" : "MISSED");
    }

    private static Floor ratio(String text, Figure num, Figure den, String what, java.util.function.DoublePredicate ok) {
        if (num == null || den == null || !num.measured() || !den.measured()) {
            return new Floor(text, "-", "not measured");
        }
        double[] r = num.ratioTo(den);
        return new Floor(text, what + " = " + fmt(r[0]) + " ± " + fmt(r[1]), ok.test(r[0]) ? "met" : "MISSED");
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
