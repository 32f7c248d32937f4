package io.ipcarc.posix;

import io.ipcarc.posix.events.LockWaitEvent;
import io.ipcarc.posix.lock.MutexWait;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.segment.SegmentStats;
import io.ipcarc.posix.sys.Linux;
import java.util.function.BooleanSupplier;

/**
 * The contended wait for one of a segment's robust locks, observed: {@link MutexWait#lockUntil}
 * counted in the process's {@link SegmentStats} and reported as a {@link LockWaitEvent} when JFR
 * records it and the wait passed the event's threshold. Only callers that found the lock busy get
 * here; the uncontended acquisition never does, so observing costs it nothing.
 */
final class ObservedWait {
    /** The {@code payloadLock} argument of the segment's own lock. */
    static final int SEGMENT_LOCK = -1;
    /** The wait of a blocking acquisition: no deadline (and none whose arithmetic could overflow). */
    static final long FOREVER = Long.MAX_VALUE / 4;

    private ObservedWait() {
    }

    /**
     * Waits for the mutex at {@code mutex} of the handle's mapping, as {@link MutexWait#lockUntil} does.
     *
     * @param handle the handle waiting
     * @param payloadLock the payload offset of a payload lock's slot, or {@link #SEGMENT_LOCK}
     * @param ownerPidOffset where the lock's holder records its pid, in the mapping
     * @param mutex the mutex's offset in the mapping
     * @param nanos the longest wait, from now ({@link #FOREVER} for a blocking acquisition)
     * @param stop checked between slices
     * @param page the size check made before every touch of the mutex after a sleep
     * @return what {@link MutexWait#lockUntil} returns
     */
    static int lockUntil(SegmentHandle handle, int payloadLock, int ownerPidOffset, int mutex, long nanos,
                         BooleanSupplier stop, MutexWait.PageCheck page) {
        LockWaitEvent event = new LockWaitEvent();
        int ownerPid = handle.words.getInt(ownerPidOffset);
        event.begin();
        // The wait starts here, after the event (whose first use loads and registers its class) is made.
        long start = System.nanoTime();
        int rc = Integer.MIN_VALUE; // stays so if the wait throws
        try {
            rc = MutexWait.lockUntil(handle.words, handle.memory().address(), mutex, start + nanos, stop, page);
            return rc;
        } finally {
            event.end();
            handle.attachment.stats.waited(payloadLock == SEGMENT_LOCK ? SegmentStats.Lock.SEGMENT : SegmentStats.Lock.PAYLOAD,
                    System.nanoTime() - start);
            if (event.shouldCommit()) {
                event.segment = handle.name();
                event.lock = lockName(payloadLock);
                event.ownerPid = ownerPid;
                event.outcome = outcome(rc);
                event.commit();
            }
        }
    }

    /** @return {@code segment}, or {@code payload@OFFSET} */
    static String lockName(int payloadLock) {
        return payloadLock == SEGMENT_LOCK ? "segment" : "payload@" + payloadLock;
    }

    private static String outcome(int rc) {
        return switch (rc) {
            case 0 -> "acquired";
            case Linux.EOWNERDEAD -> "owner-died";
            case Linux.ETIMEDOUT -> "timed-out";
            case -1 -> "interrupted";
            default -> "failed";
        };
    }
}
