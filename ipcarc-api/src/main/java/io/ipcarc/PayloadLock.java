package io.ipcarc;

import java.time.Duration;
import java.util.Optional;

/**
 * A lock that lives in a raw payload: one of many that a structure of its own keeps in one
 * segment (the stripes of a shared map, say), beside the segment's own lock that
 * {@link IpcArc#acquire()} takes. Each is a robust, process-shared, error-checking mutex like
 * that one, with the same guarantees: a holder killed with SIGKILL hands it to the next acquirer
 * with {@link PayloadGuard#ownerDied()} {@code true} (until a guard that saw it closes normally),
 * a relock by the holding thread is an {@link IllegalStateException}, timed and interruptible
 * acquires, and no wait sleeps on the segment's memory inside the C library (a truncated segment
 * is a {@link CorruptSegmentException}, never a dead JVM).
 *
 * <p>A segment gets its payload locks when it is created
 * ({@link ArcOptions#withPayloadLocks(int, int)}): slots of {@link #SLOT_BYTES} bytes, initialised
 * by the creator before anyone can load the segment; every process then takes a handle of one
 * with {@link IpcArc#payloadLock(int)}. docs/design.md gives the slot's layout.
 *
 * <pre>{@code
 * try (IpcArc<byte[]> map = IpcArc.load("/striped", ShmType.bytes(4 * PayloadLock.SLOT_BYTES + 1024));
 *      PayloadGuard g = map.payloadLock(2 * PayloadLock.SLOT_BYTES).acquire()) {
 *     if (g.ownerDied()) {
 *         // a holder died inside: repair what this lock guards before going on
 *     }
 *     map.buffer().putLong(4 * PayloadLock.SLOT_BYTES + 16, 7);
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe; guards belong to the thread that acquired them.
 */
public interface PayloadLock {
    /** Bytes of one lock's slot in the payload; a slot starts at a multiple of 64. */
    int SLOT_BYTES = 64;

    /**
     * Returns the payload offset of this lock's slot.
     *
     * @return the payload offset of this lock's slot
     */
    int offset();

    /**
     * Takes the lock, waiting as long as it takes; not interruptible.
     *
     * @return the guard, to close on this thread
     */
    PayloadGuard acquire();

    /**
     * Takes the lock, waiting until it is free or the thread is interrupted.
     *
     * @return the guard
     * @throws InterruptedException if interrupted while waiting
     */
    PayloadGuard acquireInterruptibly() throws InterruptedException;

    /**
     * Takes the lock, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return the guard
     * @throws LockTimeoutException if the lock was not free in time
     */
    PayloadGuard acquire(Duration timeout);

    /**
     * Takes the lock if it is free now.
     *
     * @return the guard, or empty if another thread holds it
     */
    Optional<PayloadGuard> tryAcquire();
}
