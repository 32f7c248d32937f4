package io.ipcarc.micrometer;

/**
 * A rate computed from a growing count when a meter is read: the count's change per second
 * between two reads at least {@link #MIN_INTERVAL_NANOS} apart. Reads closer together than that
 * get the last rate; before the first interval is complete the rate is NaN.
 */
final class RateSampler {
    /** The shortest interval a rate is computed over: 1 s. */
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private long lastNanos;
    private long lastValue;
    private boolean started;
    private double rate = Double.NaN;

    /**
     * @param value the count now
     * @param nowNanos {@link System#nanoTime()} now
     * @return the count's change per second over the last complete interval, or NaN
     */
    synchronized double perSecond(long value, long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            lastValue = value;
            return rate;
        }
        long dt = nowNanos - lastNanos;
        if (dt >= MIN_INTERVAL_NANOS) {
            rate = (value - lastValue) * 1e9 / dt;
            lastNanos = nowNanos;
            lastValue = value;
        }
        return rate;
    }
}
