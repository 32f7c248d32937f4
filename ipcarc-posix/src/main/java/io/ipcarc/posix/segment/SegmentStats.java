package io.ipcarc.posix.segment;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What this process has counted for one segment, over all its handles of it (one per
 * {@link Attachment}): lock waits and their time, owner deaths recovered, dead holders reaped.
 * Every count is made on a slow path only: a wait after the trylock found the mutex busy, a
 * recovery after {@code EOWNERDEAD}, a reap under the admin mutex. The uncontended acquire and
 * release never touch this object. {@code IpcArc.statistics()} reports it.
 */
public final class SegmentStats {
    /** Which of a segment's robust mutexes a count is about. */
    public enum Lock {
        /** The segment's own lock, behind {@code IpcArc.acquire()}. */
        SEGMENT,
        /** One of the payload locks of a raw payload ({@code IpcArc.payloadLock}), such as a map's stripes. */
        PAYLOAD
    }

    private final AtomicLong lockWaits = new AtomicLong();
    private final AtomicLong lockWaitNanos = new AtomicLong();
    private final AtomicLong payloadLockWaits = new AtomicLong();
    private final AtomicLong payloadLockWaitNanos = new AtomicLong();
    private final AtomicLong ownerDeaths = new AtomicLong();
    private final AtomicLong holdersReaped = new AtomicLong();

    SegmentStats() {
    }

    /**
     * Counts one acquisition that found a lock busy and waited.
     *
     * @param lock which lock
     * @param nanos how long it waited, whatever the outcome (acquired, timed out, interrupted, failed)
     */
    public void waited(Lock lock, long nanos) {
        if (lock == Lock.SEGMENT) {
            lockWaits.incrementAndGet();
            lockWaitNanos.addAndGet(nanos);
        } else {
            payloadLockWaits.incrementAndGet();
            payloadLockWaitNanos.addAndGet(nanos);
        }
    }

    /** Counts one lock recovered from a holder that died holding it. */
    public void ownerDied() {
        ownerDeaths.incrementAndGet();
    }

    /**
     * Counts dead holders removed from the holder table.
     *
     * @param holders how many slots were freed
     */
    void reaped(int holders) {
        holdersReaped.addAndGet(holders);
    }

    /** @return waits for the segment's own lock */
    public long lockWaits() {
        return lockWaits.get();
    }

    /** @return their total time in nanoseconds */
    public long lockWaitNanos() {
        return lockWaitNanos.get();
    }

    /** @return waits for payload locks */
    public long payloadLockWaits() {
        return payloadLockWaits.get();
    }

    /** @return their total time in nanoseconds */
    public long payloadLockWaitNanos() {
        return payloadLockWaitNanos.get();
    }

    /** @return locks (own or payload) recovered from a dead holder */
    public long ownerDeaths() {
        return ownerDeaths.get();
    }

    /** @return dead holders reaped */
    public long holdersReaped() {
        return holdersReaped.get();
    }
}
