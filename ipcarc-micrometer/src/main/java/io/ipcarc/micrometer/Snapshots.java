package io.ipcarc.micrometer;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Meter functions over a handle's statistics snapshot: one value of a fresh snapshot while the
 * handle is open, NaN once it is closed (also when it closes between the check and the snapshot).
 */
final class Snapshots {
    private Snapshots() {
    }

    /**
     * @param open whether the handle is open
     * @param snapshot takes the handle's snapshot; throws {@link IllegalStateException} once it is closed
     * @param value the statistic the meter reports
     * @param <H> the handle type
     * @param <S> the snapshot type
     * @return the meter function
     */
    static <H, S> ToDoubleFunction<H> stat(Predicate<H> open, Function<H, S> snapshot, ToDoubleFunction<S> value) {
        return h -> {
            if (!open.test(h)) {
                return Double.NaN;
            }
            try {
                return value.applyAsDouble(snapshot.apply(h));
            } catch (IllegalStateException e) {
                return Double.NaN; // closed meanwhile
            }
        };
    }
}
