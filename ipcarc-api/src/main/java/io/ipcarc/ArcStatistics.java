package io.ipcarc;

import java.time.Duration;

/**
 * A snapshot of what a segment looks like now and of what this process has seen of it, for
 * monitoring ({@code ipcarc-micrometer}'s binders read it). Returned by {@link IpcArc#statistics()}.
 *
 * <p>Three values are the segment's own, read from its shared words when the snapshot is taken
 * (all processes contribute to them): {@link #refCount()}, {@link #liveHolders()} and
 * {@link #changeWaiters()}. The counters are this process's: counted by this process for
 * this segment, over all its handles of it, since the process attached to it (opened its first
 * handle of the segment; they start again at 0 after its last handle closed). They are kept
 * only on slow paths: a lock wait is counted only when the lock was busy (an acquisition that
 * found it free counts nothing), owner deaths and reaped holders only when they happen, so
 * keeping them costs the uncontended {@code acquire()} and {@code close()} nothing. All counters
 * only grow.
 *
 * @param refCount the open handles of all processes (the segment's refcount word)
 * @param liveHolders the processes that hold the segment now: the holder slots in use whose
 *     kernel-kept liveness token is held (docs/design.md, "Holder identity and liveness")
 * @param changeWaiters the threads of all processes asleep (or about to sleep) in
 *     {@link IpcArc#awaitChange(long)} now (the segment's change-waiters word)
 * @param lockWaits how many acquisitions by this process found the lock busy and waited for it
 *     (blocking, timed and interruptible ones, also those that timed out or were interrupted;
 *     {@code tryAcquire()} never waits)
 * @param lockWaitNanos the total time those acquisitions waited, in nanoseconds
 * @param payloadLockWaits the same for the segment's {@linkplain PayloadLock payload locks} (the
 *     stripes of a structure such as a shared map), all of them together
 * @param payloadLockWaitNanos the total time those waited, in nanoseconds
 * @param ownerDeaths how many times this process recovered the lock or a payload lock from a
 *     holder that died holding it (an acquisition whose {@code pthread_mutex_lock} returned
 *     {@code EOWNERDEAD})
 * @param holdersReaped how many dead holders (processes) this process removed from the holder
 *     table, on its loads and closes
 */
public record ArcStatistics(long refCount, int liveHolders, int changeWaiters, long lockWaits, long lockWaitNanos,
                            long payloadLockWaits, long payloadLockWaitNanos, long ownerDeaths, long holdersReaped) {

    /**
     * The total lock wait as a duration.
     *
     * @return {@link #lockWaitNanos()} as a {@link Duration}
     */
    public Duration lockWaitTime() {
        return Duration.ofNanos(lockWaitNanos);
    }
}
