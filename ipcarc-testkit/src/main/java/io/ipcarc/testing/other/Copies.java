package io.ipcarc.testing.other;

import io.ipcarc.ShmName;
import io.ipcarc.ShmString;

/**
 * Another program's own copies of {@code Records.Side} and {@code Records.Position}, in another
 * package: the same {@link ShmName}s, and variants that differ in one place each.
 */
public final class Copies {
    private Copies() {
    }

    /** The same constants in the same order as {@code Records.Side}. */
    @ShmName("Side")
    public enum Side {
        /** Ordinal 0. */
        BUY,
        /** Ordinal 1. */
        SELL,
        /** Ordinal 2. */
        HOLD
    }

    /** The same constants in another order. */
    @ShmName("Side")
    public enum Reordered {
        /** Ordinal 0. */
        SELL,
        /** Ordinal 1. */
        BUY,
        /** Ordinal 2. */
        HOLD
    }

    /**
     * Agrees with {@code Records.Position}.
     *
     * @param symbol up to 8 bytes of UTF-8
     * @param qty a long
     * @param side an enum
     */
    @ShmName("Position")
    public record Position(@ShmString(8) String symbol, long qty, Side side) {
    }

    /**
     * Its enum's constants are reordered.
     *
     * @param symbol up to 8 bytes of UTF-8
     * @param qty a long
     * @param side an enum in another order
     */
    @ShmName("Position")
    public record ReorderedPosition(@ShmString(8) String symbol, long qty, Reordered side) {
    }

    /**
     * Its string has another capacity.
     *
     * @param symbol up to 16 bytes of UTF-8
     * @param qty a long
     * @param side an enum
     */
    @ShmName("Position")
    public record WidePosition(@ShmString(16) String symbol, long qty, Side side) {
    }

    /**
     * Its quantity is an int.
     *
     * @param symbol up to 8 bytes of UTF-8
     * @param qty an int
     * @param side an enum
     */
    @ShmName("Position")
    public record NarrowPosition(@ShmString(8) String symbol, int qty, Side side) {
    }
}
