package io.ipcarc.testing;

import io.ipcarc.ShmArray;
import io.ipcarc.ShmName;
import io.ipcarc.ShmString;
import java.util.Arrays;

/** Payload records shared by the tests and their child JVMs. */
public final class Records {
    private Records() {
    }

    /**
     * A small record: C layout {@code {int x; double y;}} = 16 bytes.
     *
     * @param x the first field, at offset 0
     * @param y the second field, at offset 8 (after 4 bytes of padding)
     */
    public record Point(int x, double y) {
    }

    /**
     * A nested record with an inline array: every kind of component the layout supports.
     *
     * @param kind a byte
     * @param origin a nested record, laid out inline
     * @param values an inline array of exactly 4 longs
     * @param flag a boolean, stored as one byte
     * @param tag a char, stored as two bytes
     * @param small a short
     */
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

    /**
     * Three longs that a writer keeps consistent: {@code b == 2 * a} and {@code c == a + b}.
     *
     * @param a the first field
     * @param b the second field, {@code 2 * a} when consistent
     * @param c the third field, {@code a + b} when consistent
     */
    public record Triple(long a, long b, long c) {
        /**
         * Makes the consistent triple for a first field.
         *
         * @param a the first field
         * @return the consistent triple for {@code a}
         */
        public static Triple of(long a) {
            return new Triple(a, 2 * a, 3 * a);
        }

        /**
         * Checks the invariant, to detect a torn read.
         *
         * @return whether {@code b == 2 * a} and {@code c == a + b}
         */
        public boolean consistent() {
            return b == 2 * a && c == a + b;
        }
    }

    /**
     * An array no segment can hold: its size overflows an int.
     *
     * @param values an inline array of {@code Integer.MAX_VALUE} longs
     */
    public record Huge(@ShmArray(Integer.MAX_VALUE) long[] values) {
    }

    /**
     * The same components as {@link Point} in another order: a different type.
     *
     * @param y the first field, at offset 0
     * @param x the second field, at offset 8
     */
    public record OtherPoint(double y, int x) {
    }

    /** An enum stored as its ordinal; named {@code Side} in descriptors, like its copy in {@code other}. */
    @ShmName("Side")
    public enum Side {
        /** Ordinal 0. */
        BUY,
        /** Ordinal 1. */
        SELL,
        /** Ordinal 2. */
        HOLD
    }

    /**
     * A record with a string and an enum: C layout
     * {@code {char symbol[16]; uint8_t side; int64_t price; int32_t qty;}} = 0, 16, 24, 32; 40 bytes.
     *
     * @param symbol up to 16 bytes of UTF-8
     * @param side an enum
     * @param price a long
     * @param qty an int
     */
    public record Quote(@ShmString(16) String symbol, Side side, long price, int qty) {
        /** Symbols of every shape: ASCII, empty, exactly 16 bytes, two- and three-byte UTF-8, a surrogate pair. */
        private static final String[] SYMBOLS = {"AAPL", "", "exactly16bytes!!", "Ünïcødé€", "日本語テキ", "a😀b", "MSFT"};

        /**
         * The quote every test derives from a number, whose fields all depend on it.
         *
         * @param i any number
         * @return the quote for {@code i}
         */
        public static Quote of(long i) {
            return new Quote(SYMBOLS[Math.floorMod(i, SYMBOLS.length)], Side.values()[Math.floorMod(i, 3)], i,
                    (int) (i * 7));
        }

        /**
         * Whether this quote is exactly {@link #of(long)} of its price: a torn string or enum fails.
         *
         * @return whether every field matches the price
         */
        public boolean consistent() {
            return equals(of(price));
        }
    }

    /**
     * Arrays of records, enums and strings, nested: every new kind of component.
     *
     * @param name up to 12 bytes of UTF-8
     * @param stops three points, inline
     * @param quotes two quotes, inline
     * @param sides two enums, inline
     * @param tags two strings of 4 bytes each, inline
     */
    public record Fleet(@ShmString(12) String name, @ShmArray(3) Point[] stops, @ShmArray(2) Quote[] quotes,
                        @ShmArray(2) Side[] sides, @ShmArray(2) @ShmString(4) String[] tags) {
        /**
         * The fleet every test derives from a number.
         *
         * @param i any number
         * @return the fleet for {@code i}
         */
        public static Fleet of(long i) {
            return new Fleet("fleet-é" + (i % 100), new Point[] {new Point((int) i, i + 0.5), new Point(-1, -1.5), new Point(2, 0)},
                    new Quote[] {Quote.of(i), Quote.of(i + 3)}, new Side[] {Side.HOLD, Side.values()[(int) (i % 3)]},
                    new String[] {"t" + (i % 10), "€"});
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fleet f && f.name.equals(name) && Arrays.equals(f.stops, stops) && Arrays.equals(f.quotes, quotes)
                    && Arrays.equals(f.sides, sides) && Arrays.equals(f.tags, tags);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return "Fleet[" + name + ", " + Arrays.toString(stops) + ", " + Arrays.toString(quotes) + ", "
                    + Arrays.toString(sides) + ", " + Arrays.toString(tags) + "]";
        }
    }

    /**
     * A record named {@code Position} in descriptors; {@code io.ipcarc.testing.other} has its own copy.
     *
     * @param symbol up to 8 bytes of UTF-8
     * @param qty a long
     * @param side an enum
     */
    @ShmName("Position")
    public record Position(@ShmString(8) String symbol, long qty, Side side) {
    }

    /**
     * The sample every test writes and expects.
     *
     * @return a new sample with the same values on every call
     */
    public static Sample sample() {
        return new Sample((byte) 7, new Point(-3, 2.5), new long[] {1, -2, Long.MAX_VALUE, Long.MIN_VALUE}, true, 'Z', (short) -12345);
    }
}
