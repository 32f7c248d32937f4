package io.ipcarc.ring;

import io.ipcarc.ArcOptions;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a new ring is made: its capacity, its number of reader slots, the readers reserved from
 * the start, and the segment's options. Immutable and validated: a nonsense value is refused here,
 * before any segment exists. Start from {@link #defaults()}.
 *
 * <pre>{@code
 * RingOptions o = RingOptions.defaults().withCapacity(4096).withReservedReaders(0, 1);
 * }</pre>
 *
 * @param capacity entries, a power of two from 2 to {@link RingDescriptor#MAX_CAPACITY}
 * @param readerSlots reader slots, 1 to {@link RingDescriptor#MAX_READERS}
 * @param reservedReaders reader ids registered when the ring is created (state
 *     {@link ReaderState#DETACHED} at sequence 0), so that a lossless writer waits for them
 *     from the first entry whatever order the processes start in
 * @param arcOptions file mode and ready timeout of the segment; its payload mode is always raw
 */
public record RingOptions(int capacity, int readerSlots, Set<Integer> reservedReaders, ArcOptions arcOptions) {

    /** Capacity of {@link #defaults()}. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Reader slots of {@link #defaults()}. */
    public static final int DEFAULT_READER_SLOTS = 8;

    private static final RingOptions DEFAULTS = new RingOptions(DEFAULT_CAPACITY, DEFAULT_READER_SLOTS, Set.of(),
            ArcOptions.defaults());

    /**
     * Validates the options.
     *
     * @param capacity entries, a power of two
     * @param readerSlots reader slots
     * @param reservedReaders ids below {@code readerSlots}
     * @param arcOptions not null
     * @throws IllegalArgumentException naming the bad value
     */
    public RingOptions {
        checkCapacity(capacity);
        if (readerSlots < 1 || readerSlots > RingDescriptor.MAX_READERS) {
            throw new IllegalArgumentException("ring reader slots must be from 1 to " + RingDescriptor.MAX_READERS
                    + ": readerSlots=" + readerSlots);
        }
        SortedSet<Integer> ids = new TreeSet<>();
        for (Integer id : Objects.requireNonNull(reservedReaders, "reservedReaders")) {
            ids.add(checkReader(Objects.requireNonNull(id, "reader id"), readerSlots));
        }
        reservedReaders = Collections.unmodifiableSortedSet(ids);
        Objects.requireNonNull(arcOptions, "arcOptions");
    }

    /**
     * Returns capacity 1024, 8 reader slots, none reserved, {@link ArcOptions#defaults()}.
     *
     * @return capacity 1024, 8 reader slots, none reserved, {@link ArcOptions#defaults()}
     */
    public static RingOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with that capacity.
     *
     * @param newCapacity entries, a power of two from 2 to 2^24
     * @return a copy with that capacity
     */
    public RingOptions withCapacity(int newCapacity) {
        return new RingOptions(newCapacity, readerSlots, reservedReaders, arcOptions);
    }

    /**
     * Returns a copy with that many reader slots.
     *
     * @param slots reader slots, 1 to 64
     * @return a copy with that many reader slots
     */
    public RingOptions withReaderSlots(int slots) {
        return new RingOptions(capacity, slots, reservedReaders, arcOptions);
    }

    /**
     * Returns a copy reserving exactly those readers.
     *
     * @param ids reader ids to register when the ring is created
     * @return a copy reserving exactly those readers
     */
    public RingOptions withReservedReaders(int... ids) {
        Set<Integer> set = new TreeSet<>();
        for (int id : ids) {
            set.add(id);
        }
        return new RingOptions(capacity, readerSlots, set, arcOptions);
    }

    /**
     * Returns a copy with those segment options.
     *
     * @param options file mode and ready timeout of the segment
     * @return a copy with those segment options
     */
    public RingOptions withArcOptions(ArcOptions options) {
        return new RingOptions(capacity, readerSlots, reservedReaders, options);
    }

    /**
     * Returns it, if it is a power of two from 2 to 2^24.
     *
     * @param capacity a proposed capacity
     * @return it, if it is a power of two from 2 to 2^24
     * @throws IllegalArgumentException otherwise
     */
    public static int checkCapacity(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1 || capacity > RingDescriptor.MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity must be a power of two from 2 to "
                    + RingDescriptor.MAX_CAPACITY + ": capacity=" + capacity);
        }
        return capacity;
    }

    static int checkReader(int id, int readerSlots) {
        if (id < 0 || id >= readerSlots) {
            throw new IllegalArgumentException("reader id must be from 0 to " + (readerSlots - 1) + ": id=" + id);
        }
        return id;
    }
}
