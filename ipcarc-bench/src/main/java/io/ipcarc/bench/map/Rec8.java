package io.ipcarc.bench.map;

/**
 * The value of every map row: 64 bytes, eight longs that all follow from one number.
 *
 * @param a the number
 * @param b plus 1
 * @param c plus 2
 * @param d plus 3
 * @param e plus 4
 * @param f plus 5
 * @param g plus 6
 * @param h plus 7
 */
public record Rec8(long a, long b, long c, long d, long e, long f, long g, long h) {
    /** Its size in bytes, in both maps. */
    public static final int SIZE = 64;

    /**
     * The record of one number.
     *
     * @param v the number
     * @return {@code v, v + 1, ..., v + 7}
     */
    public static Rec8 of(long v) {
        return new Rec8(v, v + 1, v + 2, v + 3, v + 4, v + 5, v + 6, v + 7);
    }
}
