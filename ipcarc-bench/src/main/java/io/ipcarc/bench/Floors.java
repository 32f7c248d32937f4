package io.ipcarc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The performance floors for the core, checked against figures of the same run. */
public final class Floors {
    /** Keys of the figures the floors use. */
    static final String ACQUIRE_CLOSE = "ArcBenchmarks.acquireClose";
    static final String READ_TRIPLE = "ArcBenchmarks.readTriple";
    static final String ACQUIRE_GET_CLOSE_TRIPLE = "ArcBenchmarks.acquireGetCloseTriple";
    static final String FILE_LOCK = "BaselineBenchmarks.fileChannelLock";

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
     * @param figures every figure of the run, by key
     * @return the core floors with verdicts
     */
    public static List<Floor> evaluate(Map<String, Figure> figures) {
        Figure ac = figures.get(ACQUIRE_CLOSE);
        Figure c = figures.get(NativeMutexBaseline.KEY);
        Figure file = figures.get(FILE_LOCK);
        Figure read = figures.get(READ_TRIPLE);
        Figure locked = figures.get(ACQUIRE_GET_CLOSE_TRIPLE);
        List<Floor> out = new ArrayList<>();
        out.add(ratio("acquire+close within 2.5x of the C pthread lock+unlock pair", ac, c, "acquire+close / C pair",
                r -> r <= 2.5));
        out.add(ratio("acquire+close at least 30x faster than FileChannel.lock()", file, ac, "FileChannel.lock / acquire+close",
                r -> r >= 30));
        if (read != null && read.measured()) {
            out.add(new Floor("read() of the 3-field record at most 15 ns",
                    fmt(read.score()) + " ± " + fmt(read.error()) + " ns", read.score() <= 15 ? "met" : "MISSED"));
        } else {
            out.add(new Floor("read() of the 3-field record at most 15 ns", "-", "not measured"));
        }
        out.add(ratio("read() of the 3-field record at least 3x faster than acquire+get+close", locked, read,
                "acquire+get+close / read", r -> r >= 3));
        return out;
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
