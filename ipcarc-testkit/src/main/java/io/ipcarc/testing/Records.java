package io.ipcarc.testing;

import io.ipcarc.ShmArray;
import java.util.Arrays;

/** Payload records shared by the tests and their child JVMs. */
public final class Records {
    private Records() {
    }

    /** A small record: C layout {int x; double y;} = 16 bytes. */
    public record Point(int x, double y) {
    }

    /** A nested record with an inline array. */
    public record Sample(byte kind, Point origin, @ShmArray(4) long[] values, boolean flag, char tag, short small) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && s.kind == kind && s.origin.equals(origin) && Arrays.equals(s.values, values)
                    && s.flag == flag && s.tag == tag && s.small == small;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) * 31 + origin.hashCode();
        }

        @Override
        public String toString() {
            return "Sample[kind=" + kind + ", origin=" + origin + ", values=" + Arrays.toString(values) + ", flag=" + flag
                    + ", tag=" + tag + ", small=" + small + "]";
        }
    }

    /** Three longs that a writer keeps consistent: {@code b == 2 * a} and {@code c == a + b}. */
    public record Triple(long a, long b, long c) {
        /** @param a the first field @return the consistent triple for {@code a} */
        public static Triple of(long a) {
            return new Triple(a, 2 * a, 3 * a);
        }

        /** @return whether the invariant holds */
        public boolean consistent() {
            return b == 2 * a && c == a + b;
        }
    }

    /** An array no segment can hold: its size overflows an int. */
    public record Huge(@ShmArray(Integer.MAX_VALUE) long[] values) {
    }

    /** The same components as {@link Point} in another order: a different type. */
    public record OtherPoint(double y, int x) {
    }

    /** The sample every test writes and expects. */
    public static Sample sample() {
        return new Sample((byte) 7, new Point(-3, 2.5), new long[] {1, -2, Long.MAX_VALUE, Long.MIN_VALUE}, true, 'Z', (short) -12345);
    }
}
