package io.ipcarc.map;

import io.ipcarc.ArcOptions;
import java.util.Objects;

/**
 * How a map is created: its capacity (fixed for its life), the capacity of string keys and of
 * string or byte-array values, its stripes, the segment's options and who is told of repairs.
 * Immutable; start from {@link #capacity(int)}.
 *
 * <pre>{@code
 * MapOptions o = MapOptions.capacity(100_000).withKeyCapacity(16).withRepairListener(r -> System.err.println(r));
 * }</pre>
 *
 * @param capacity most keys the map holds, 1 to {@link MapDescriptor#MAX_CAPACITY}
 * @param keyCapacity bytes of UTF-8 a {@code String} key may have (0: keys are not strings)
 * @param valueCapacity bytes of a {@code String} (UTF-8) or {@code byte[]} value (0: values are neither)
 * @param stripes how many stripe locks, a power of two up to {@link MapDescriptor#MAX_STRIPES};
 *     0 for one per 1024 keys of capacity, 1 to 64
 * @param arcOptions the segment's options (file mode, ready timeout); its payload mode and payload
 *     locks are the map's own
 * @param repairListener told of each repair this process makes, or {@code null} (repairs are logged either way)
 */
public record MapOptions(int capacity, int keyCapacity, int valueCapacity, int stripes, ArcOptions arcOptions,
                         MapRepairListener repairListener) {

    /**
     * Validates the options.
     *
     * @param capacity at least 1
     * @param keyCapacity at least 0
     * @param valueCapacity at least 0
     * @param stripes 0, or a power of two up to {@link MapDescriptor#MAX_STRIPES}
     * @param arcOptions not null
     * @param repairListener may be null
     */
    public MapOptions {
        if (capacity < 1 || capacity > MapDescriptor.MAX_CAPACITY) {
            throw new IllegalArgumentException("map capacity out of range: capacity=" + capacity + ", min=1, max="
                    + MapDescriptor.MAX_CAPACITY);
        }
        if (keyCapacity < 0 || valueCapacity < 0) {
            throw new IllegalArgumentException("capacities must not be negative: keyCapacity=" + keyCapacity
                    + ", valueCapacity=" + valueCapacity);
        }
        if (stripes != 0 && (stripes < 0 || stripes > MapDescriptor.MAX_STRIPES || Integer.bitCount(stripes) != 1)) {
            throw new IllegalArgumentException("map stripes must be a power of two from 1 to " + MapDescriptor.MAX_STRIPES
                    + " (or 0 for the default): stripes=" + stripes);
        }
        Objects.requireNonNull(arcOptions, "arcOptions");
    }

    /**
     * Options for a map of {@code capacity} keys, with everything else by default.
     *
     * @param capacity most keys the map will hold
     * @return the options
     */
    public static MapOptions capacity(int capacity) {
        return new MapOptions(capacity, 0, 0, 0, ArcOptions.defaults(), null);
    }

    /**
     * A copy for {@code String} keys of at most {@code bytes} bytes of UTF-8.
     *
     * @param bytes the keys' capacity, as {@link io.ipcarc.ShmString} gives it
     * @return a copy with that key capacity
     */
    public MapOptions withKeyCapacity(int bytes) {
        return new MapOptions(capacity, bytes, valueCapacity, stripes, arcOptions, repairListener);
    }

    /**
     * A copy for {@code String} values of at most {@code bytes} bytes of UTF-8, or {@code byte[]}
     * values of exactly {@code bytes} bytes.
     *
     * @param bytes the values' capacity
     * @return a copy with that value capacity
     */
    public MapOptions withValueCapacity(int bytes) {
        return new MapOptions(capacity, keyCapacity, bytes, stripes, arcOptions, repairListener);
    }

    /**
     * A copy with another number of stripes: more let more writers work at once, each costs 192
     * bytes (its lock and lines) and one spare entry.
     *
     * @param count a power of two up to {@link MapDescriptor#MAX_STRIPES}
     * @return a copy with that many stripes
     */
    public MapOptions withStripes(int count) {
        return new MapOptions(capacity, keyCapacity, valueCapacity, count, arcOptions, repairListener);
    }

    /**
     * A copy with other segment options (the file mode, say).
     *
     * @param options the segment's options
     * @return a copy with them
     */
    public MapOptions withArcOptions(ArcOptions options) {
        return new MapOptions(capacity, keyCapacity, valueCapacity, stripes, options, repairListener);
    }

    /**
     * A copy whose handles tell {@code listener} of every repair they make.
     *
     * @param listener the listener, or {@code null} for none
     * @return a copy with it
     */
    public MapOptions withRepairListener(MapRepairListener listener) {
        return new MapOptions(capacity, keyCapacity, valueCapacity, stripes, arcOptions, listener);
    }

    /** @return the stripes a new map gets: {@link #stripes()}, or the default for its capacity */
    int stripesToCreate() {
        return stripes != 0 ? stripes : Geometry.defaultStripes(capacity);
    }
}
