package io.ipcarc;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for creating and loading segments. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * ArcOptions shared = ArcOptions.defaults().withMode(0660);
 * try (IpcArc<Long> a = IpcArc.create("/counter", ShmType.of(Long.class), 0L, shared)) {
 *     a.read();
 * }
 * }</pre>
 *
 * @param mode the file mode of a new segment, such as {@code 0600} (the default) or
 *     {@code 0660} for a group of cooperating users; applied exactly, whatever the umask
 * @param readyTimeout how long a load waits for a segment that is still being created
 * @param payloadMode how a new segment keeps its payload when a holder dies mid-update;
 *     a load takes the mode the creator chose
 * @param payloadLocks the {@link PayloadLock}s a new segment's creator initialises in its (raw)
 *     payload before anyone can load it; {@link PayloadLocks#NONE} by default
 */
public record ArcOptions(int mode, Duration readyTimeout, PayloadMode payloadMode, PayloadLocks payloadLocks) {

    /**
     * The largest payload that {@link PayloadMode#AUTO} makes crash-atomic: 64 KiB. Larger
     * payloads are raw unless {@link PayloadMode#CRASH_ATOMIC} is asked for.
     */
    public static final int CRASH_ATOMIC_AUTO_LIMIT = 64 * 1024;

    private static final ArcOptions DEFAULTS = new ArcOptions(0600, Duration.ofSeconds(5), PayloadMode.AUTO, PayloadLocks.NONE);

    /**
     * Where a new segment's {@link PayloadLock}s are: {@code count} slots of
     * {@link PayloadLock#SLOT_BYTES} bytes from payload offset {@code offset} on.
     *
     * @param offset payload offset of the first slot, a multiple of 64
     * @param count how many locks, 0 for none
     */
    public record PayloadLocks(int offset, int count) {
        /** No payload locks. */
        public static final PayloadLocks NONE = new PayloadLocks(0, 0);

        /**
         * Validates the range.
         *
         * @param offset a multiple of 64, not negative
         * @param count not negative
         */
        public PayloadLocks {
            if (offset < 0 || offset % PayloadLock.SLOT_BYTES != 0 || count < 0
                    || (long) offset + (long) count * PayloadLock.SLOT_BYTES > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("payload locks need a non-negative offset that is a multiple of "
                        + PayloadLock.SLOT_BYTES + " and a non-negative count: offset=" + offset + ", count=" + count);
            }
        }

        /**
         * Returns the payload offset just past the last slot.
         *
         * @return the payload offset just past the last slot
         */
        public int end() {
            return offset + count * PayloadLock.SLOT_BYTES;
        }
    }

    /**
     * The options of earlier versions, without payload locks.
     *
     * @param mode permission bits, 0 to 0777
     * @param readyTimeout non-negative wait
     * @param payloadMode not null
     */
    public ArcOptions(int mode, Duration readyTimeout, PayloadMode payloadMode) {
        this(mode, readyTimeout, payloadMode, PayloadLocks.NONE);
    }

    /** How a segment's payload survives a holder that dies inside a guard. */
    public enum PayloadMode {
        /** {@link #CRASH_ATOMIC} for payloads up to {@link #CRASH_ATOMIC_AUTO_LIMIT} bytes, {@link #RAW} above. */
        AUTO,
        /**
         * A guard writes a shadow copy of the payload, published by one release store when it
         * closes: a holder killed at any instant leaves the last committed value, and
         * {@link IpcArc#read()} never returns an uncommitted one. A guard that writes nothing
         * copies nothing. The segment holds the payload twice, and {@link IpcArc#buffer()} (a
         * lock-free view of a single copy) is not available.
         */
        CRASH_ATOMIC,
        /**
         * One copy of the payload, written in place: a holder killed mid-update leaves a
         * half-written value, which the next guard sees with {@link Guard#ownerDied()} and which
         * {@link IpcArc#read()} refuses with {@link TornValueException}. Needed for lock-free
         * structures in the payload ({@link IpcArc#buffer()}, {@link IpcArc#futexWord(int)}).
         */
        RAW
    }

    /**
     * Validates the options.
     *
     * @param mode permission bits, 0 to 0777
     * @param readyTimeout non-negative wait
     * @param payloadMode not null
     * @param payloadLocks not null
     */
    public ArcOptions {
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode must be permission bits only: mode=0" + Integer.toOctalString(mode));
        }
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative()) {
            throw new IllegalArgumentException("readyTimeout must not be negative: readyTimeout=" + readyTimeout);
        }
        Objects.requireNonNull(payloadMode, "payloadMode");
        Objects.requireNonNull(payloadLocks, "payloadLocks");
    }

    /**
     * The options a handle gets when none are given.
     *
     * @return mode 0600, a 5 second ready timeout and {@link PayloadMode#AUTO}
     */
    public static ArcOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy of these options with another permission mode for the segments it creates.
     *
     * @param newMode permission bits for new segments, for example {@code 0660}
     * @return a copy with that mode
     */
    public ArcOptions withMode(int newMode) {
        return new ArcOptions(newMode, readyTimeout, payloadMode, payloadLocks);
    }

    /**
     * A copy of these options with another timeout for loading a segment that is still being created.
     *
     * @param timeout how long a load waits for a segment being created
     * @return a copy with that timeout
     */
    public ArcOptions withReadyTimeout(Duration timeout) {
        return new ArcOptions(mode, timeout, payloadMode, payloadLocks);
    }

    /**
     * A copy of these options with another payload mode for the segments it creates.
     *
     * @param newPayloadMode how new segments keep their payload
     * @return a copy with that payload mode
     */
    public ArcOptions withPayloadMode(PayloadMode newPayloadMode) {
        return new ArcOptions(mode, readyTimeout, newPayloadMode, payloadLocks);
    }

    /**
     * Has a new segment hold {@code count} {@link PayloadLock}s in its payload, from payload offset
     * {@code offset} on, initialised by its creator before anyone can load it. The payload must be
     * {@link PayloadMode#RAW} (a crash-atomic payload exists twice) and the slots must fit in it.
     *
     * <pre>{@code
     * ArcOptions striped = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW).withPayloadLocks(0, 4);
     * try (IpcArc<byte[]> a = IpcArc.create("/striped", ShmType.bytes(4 * PayloadLock.SLOT_BYTES + 1024), null, striped);
     *      PayloadGuard g = a.payloadLock(64).acquire()) {
     *     a.buffer().getAndAddLong(4 * PayloadLock.SLOT_BYTES, 1); // what lock 1 guards, say
     * }
     * }</pre>
     *
     * @param offset payload offset of the first slot, a multiple of {@link PayloadLock#SLOT_BYTES}
     * @param count how many locks
     * @return new options
     */
    public ArcOptions withPayloadLocks(int offset, int count) {
        return new ArcOptions(mode, readyTimeout, payloadMode, new PayloadLocks(offset, count));
    }

    /**
     * The payload mode a new segment of {@code payloadSize} bytes gets with these options.
     *
     * @param payloadSize the payload's size in bytes
     * @return {@link PayloadMode#CRASH_ATOMIC} or {@link PayloadMode#RAW}, never {@link PayloadMode#AUTO}
     */
    public PayloadMode resolvePayloadMode(int payloadSize) {
        if (payloadMode != PayloadMode.AUTO) {
            return payloadMode;
        }
        return payloadSize <= CRASH_ATOMIC_AUTO_LIMIT ? PayloadMode.CRASH_ATOMIC : PayloadMode.RAW;
    }
}
