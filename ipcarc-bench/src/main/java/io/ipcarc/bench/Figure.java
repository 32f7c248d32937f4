package io.ipcarc.bench;

import java.util.Collection;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One measured figure with its error (half-width of the 99.9% confidence interval, as JMH
 * reports it), or a figure that was not measured and why.
 *
 * @param key stable identifier, for example {@code arc.acquireClose}
 * @param label what was measured, for the report
 * @param score the mean, NaN if not measured
 * @param error the error, NaN if unknown
 * @param unit the unit, for example {@code ns/op}
 * @param note why it is missing, or extra context; empty if none
 */
public record Figure(String key, String label, double score, double error, String unit, String note) {

    /**
     * Returns the mean with its 99.9% error (NaN with fewer than two samples).
     *
     * @param key identifier
     * @param label description
     * @param samples the measurements (at least one)
     * @param unit unit
     * @return the mean with its 99.9% error (NaN with fewer than two samples)
     */
    public static Figure of(String key, String label, Collection<Double> samples, String unit) {
        ListStatistics s = new ListStatistics();
        samples.forEach(s::addValue);
        double err = s.getN() > 1 ? s.getMeanErrorAt(0.999) : Double.NaN;
        return new Figure(key, label, s.getMean(), err, unit, "");
    }

    /**
     * Returns a figure that says it was not measured.
     *
     * @param key identifier
     * @param label description
     * @param unit the unit it would have
     * @param why the reason
     * @return a figure that says it was not measured
     */
    public static Figure missing(String key, String label, String unit, String why) {
        return new Figure(key, label, Double.NaN, Double.NaN, unit, why);
    }

    /**
     * Returns whether there is a number.
     *
     * @return whether there is a number
     */
    public boolean measured() {
        return !Double.isNaN(score);
    }

    /**
     * The ratio {@code this / other}, with the relative errors added in quadrature (NaN when
     * either error is unknown).
     *
     * @param other the denominator
     * @return {ratio, error}, NaN if either is not measured
     */
    public double[] ratioTo(Figure other) {
        double r = score / other.score;
        double re = Math.hypot(relErr(), other.relErr());
        return new double[] {r, r * re};
    }

    private double relErr() {
        return score == 0 ? 0 : error / score;
    }
}
