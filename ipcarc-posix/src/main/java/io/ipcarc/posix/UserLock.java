package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.DEAD_OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.OWNER_DIED_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.USER_MUTEX_OFFSET;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArcException;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.posix.events.OwnerDeathEvent;
import io.ipcarc.posix.lock.LockCarrier;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.MutexWait;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.ProcessIds;
import io.ipcarc.posix.sys.RawMemory;
import java.time.Duration;

/**
 * How one handle takes its segment's user mutex: the uncontended trylock that every acquisition
 * tries first, the waits (blocking, try, timed, interruptible; a virtual thread's through the
 * handle's {@link LockCarrier}), the recovery and record of a dead owner, and the guard of a lock
 * now held. The protocol is docs/design.md's "Locking"; the waits are {@link MutexWait}'s.
 *
 * @param <T> the arc's value type
 */
final class UserLock<T> {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");

    /** How an acquisition that found the mutex busy waits. */
    enum Mode {
        /** Until the mutex is free ({@code acquire()}). */
        BLOCKING,
        /** Not at all ({@code tryAcquire()}). */
        TRY,
        /** Until a deadline ({@code acquire(Duration)}). */
        TIMED,
        /** Until the mutex is free or the thread is interrupted ({@code acquireInterruptibly()}). */
        INTERRUPTIBLE
    }

    private final PosixIpcArc<T> arc;
    private final SegmentHandle handle;
    private final MappedMemory memory;
    /** Which thread holds the lock through this handle; cleared by the guard. */
    private final MappedMemory.Hold hold;
    /** The user mutex's address in this handle's mapping. */
    private final long mutex;
    private final boolean crashAtomic;

    UserLock(PosixIpcArc<T> arc, SegmentHandle handle) {
        this.arc = arc;
        this.handle = handle;
        this.memory = handle.memory();
        this.hold = memory.hold;
        this.mutex = handle.header.addressOf(USER_MUTEX_OFFSET);
        this.crashAtomic = handle.payload.crashAtomic;
    }

    /** {@link #takeCounted} for the modes that cannot be interrupted. */
    PosixGuard<T> takeUninterruptibly(Mode mode, long nanos, Duration timeout, boolean acknowledges) {
        try {
            return takeCounted(mode, nanos, timeout, acknowledges);
        } catch (InterruptedException e) {
            throw new AssertionError("only INTERRUPTIBLE waits are interrupted", e);
        }
    }

    /**
     * The uncontended case of every acquisition: one trylock between two closed checks, with no
     * atomic operation of the library's own. A close racing with it leaves the mapping in place
     * ({@link MappedMemory}), and the check after the trylock then gives the lock back and
     * refuses. Kept small, with its rare cases in other methods, so that the JIT inlines it (and
     * the acquire that calls it) into the caller.
     *
     * @param acknowledges whether the guard's normal close ends an owner-died state
     * @return the guard; {@code null} if this thread is virtual, or the mutex is busy or held by
     *     this thread already (a relock), for {@link #takeCounted} to handle
     */
    PosixGuard<T> takeUncontended(boolean acknowledges) {
        if (Threads.isVirtual()) {
            return null;
        }
        try {
            // Inside the try: the first time this branch is taken, compiled code leaves through the
            // VM's runtime, where HotSpot may deliver a fault this thread made earlier.
            if (!memory.alive()) {
                throw memory.closedError();
            }
            if (!MutexIntegrity.kindIntact(handle.words, USER_MUTEX_OFFSET)) {
                throw MutexIntegrity.kindDamaged(handle.words, USER_MUTEX_OFFSET, handle.name(), "user");
            }
            // EDEADLK: this thread holds the mutex already (a relock, refused by takeCounted), or
            // a thread of another PID namespace with this thread's id does.
            int rc = ProcessMutex.tryLock(mutex);
            if (rc != 0) {
                return rc == Linux.EBUSY || rc == Linux.EDEADLK ? null : lockedAfterError(rc, acknowledges);
            }
            if (!memory.alive()) {
                throw closedWhileLocking();
            }
            return held(acknowledges, null);
        } catch (InternalError e) {
            // HotSpot turns a SIGBUS on mapped memory into this error: the object was truncated.
            throw memory.fault(e);
        }
    }

    /** A close raced with the uncontended trylock: gives the lock back, as if closed before. */
    private RuntimeException closedWhileLocking() {
        ProcessMutex.unlock(mutex);
        return memory.closedError();
    }

    /**
     * The uncontended trylock returned neither 0 nor busy: EOWNERDEAD (this thread holds the
     * mutex; recovered and recorded) or an error (thrown).
     */
    private PosixGuard<T> lockedAfterError(int rc, boolean acknowledges) {
        int r = recover(rc);
        if (r == 0 && !memory.alive()) {
            throw closedWhileLocking();
        }
        return locked(r, null, acknowledges, null);
    }

    /**
     * Takes the user mutex one of four ways, after {@link #takeUncontended} did not: counted as a
     * user of the handle while the thread waits, so that close() refuses meanwhile. Once the lock
     * is held, {@link MappedMemory#hold} says so instead, as for the uncontended case.
     *
     * @param mode how long to wait, and whether an interrupt ends the wait
     * @param nanos the longest wait for TIMED and INTERRUPTIBLE
     * @param timeout reported in a LockTimeoutException
     * @param acknowledges whether the guard's normal close ends an owner-died state
     * @return the guard, or null if TRY found the mutex busy
     */
    PosixGuard<T> takeCounted(Mode mode, long nanos, Duration timeout, boolean acknowledges)
            throws InterruptedException {
        enter();
        try {
            arc.checkOpen(); // a truncated segment is refused before its mutex is touched
            MutexIntegrity.checkKind(handle.words, USER_MUTEX_OFFSET, handle.name(), "user");
            if (Threads.isVirtual()) {
                return takeForVirtualThread(mode, nanos, timeout, acknowledges);
            }
            // Never a relock from here on: this thread does not hold the mutex (enter() checked).
            int rc = ProcessMutex.tryLock(mutex);
            if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
                if (mode == Mode.TRY) {
                    return null;
                }
                rc = ObservedWait.lockUntil(handle, ObservedWait.SEGMENT_LOCK, OWNER_PID_OFFSET, USER_MUTEX_OFFSET,
                        mode == Mode.BLOCKING ? ObservedWait.FOREVER : nanos,
                        mode == Mode.INTERRUPTIBLE ? Thread::interrupted : MutexWait.NEVER, this::checkBeforeTouching);
            }
            if (rc == -1) {
                throw new InterruptedException("interrupted while acquiring: name=" + handle.name());
            }
            return locked(recover(rc), timeout, acknowledges, null);
        } catch (InternalError e) {
            throw memory.fault(e);
        } finally {
            // A guard, if any, is now recorded in hold (set before this decrement, so close() sees one of the two).
            memory.exit();
        }
    }

    /**
     * What a wait checks before it touches the user mutex again (after a sleep, before a trylock):
     * the handle is usable, the object still has its size ({@code fstat}: a truncated page would
     * be a SIGBUS inside glibc), and the kind word glibc trusts is intact.
     */
    private void checkBeforeTouching() {
        arc.checkOpen();
        handle.attachment.checkSize();
        MutexIntegrity.checkKind(handle.words, USER_MUTEX_OFFSET, handle.name(), "user");
    }

    /** @return the address of the user mutex in this handle's mapping */
    long mutexAddress() {
        return mutex;
    }

    /**
     * Refuses a relock, and counts the thread as a user of the handle.
     */
    private void enter() {
        if (handle.attachment.lockOwner == Thread.currentThread().getId()) {
            throw new IllegalStateException("lock already held by this thread: name=" + handle.name()
                    + " (close the guard you hold first)");
        }
        memory.enter();
    }

    /**
     * A virtual thread's acquisition: the handle's {@link LockCarrier} locks on its behalf while
     * it parks, so no carrier thread is pinned and the mutex stays owned by one OS thread.
     *
     * @return the guard, or null if TRY found the mutex busy
     */
    private PosixGuard<T> takeForVirtualThread(Mode mode, long nanos, Duration timeout, boolean acknowledges)
            throws InterruptedException {
        LockCarrier carrier = handle.carrier();
        long deadline = System.nanoTime() + (mode == Mode.BLOCKING ? Long.MAX_VALUE / 4 : mode == Mode.TRY ? 0 : nanos);
        LockCarrier.Request r = carrier.submit(mode == Mode.TRY, stop -> {
            checkBeforeTouching();
            int rc = ProcessMutex.tryLock(mutex);
            if ((rc == Linux.EBUSY || rc == Linux.EDEADLK) && mode != Mode.TRY) {
                rc = ObservedWait.lockUntil(handle, ObservedWait.SEGMENT_LOCK, OWNER_PID_OFFSET, USER_MUTEX_OFFSET,
                        deadline - System.nanoTime(), stop, this::checkBeforeTouching);
            }
            // The owner must make the mutex consistent (glibc records the caller as owner).
            return rc == Linux.EOWNERDEAD ? recoverQuietly(rc) : rc;
        }, () -> memory.mutexPageGone() ? 0 : ProcessMutex.unlock(mutex)); // a vanished page's node stays (MappedMemory)
        // TRY waits only for its turn at the carrier, whose trylock answers at once.
        int rc = r.await(mode == Mode.TRY ? System.nanoTime() + Long.MAX_VALUE / 4 : deadline, mode == Mode.INTERRUPTIBLE);
        if (r.failure() != null) {
            throw r.failure(); // the carrier found the segment damaged or truncated
        }
        if (rc == -1) {
            if (mode == Mode.INTERRUPTIBLE && Thread.interrupted()) {
                throw new InterruptedException("interrupted while acquiring: name=" + handle.name());
            }
            rc = Linux.ETIMEDOUT;
        }
        if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
            return null;
        }
        if (rc == CONSISTENT_FAILED) {
            throw new CorruptSegmentException("pthread_mutex_consistent failed: name=" + handle.name(), handle.name());
        }
        return locked(rc, timeout, acknowledges, r);
    }

    /** What {@link #recoverQuietly} returns when the mutex could not be made consistent (then released). */
    private static final int CONSISTENT_FAILED = -1000;

    /**
     * After EOWNERDEAD: record the death in the segment, then make the mutex consistent. Runs on
     * the thread that owns the mutex.
     *
     * @return 0, or {@link #CONSISTENT_FAILED} after unlocking
     */
    private int recoverQuietly(int rc) {
        MemoryView h = handle.header;
        int previous = h.getInt(OWNER_PID_OFFSET);
        // Recorded before the mutex is made consistent: whoever recovers it, every later
        // guard reports ownerDied() until one that saw it closes normally.
        h.putInt(DEAD_OWNER_PID_OFFSET, previous);
        h.putIntVolatile(OWNER_DIED_OFFSET, 1);
        int crc = ProcessMutex.consistent(mutex);
        if (crc != 0) {
            ProcessMutex.unlock(mutex);
            return CONSISTENT_FAILED;
        }
        handle.attachment.stats.ownerDied();
        OwnerDeathEvent.emit(handle.name(), ObservedWait.lockName(ObservedWait.SEGMENT_LOCK), previous);
        LOG.log(System.Logger.Level.INFO, "lock recovered from a dead owner: name={0}, deadOwnerPid={1}, pid={2}",
                handle.name(), String.valueOf(previous), String.valueOf(ProcessIds.SELF_PID));
        return 0;
    }

    /** @return {@code rc}, with an owner death recovered and recorded */
    private int recover(int rc) {
        if (rc != Linux.EOWNERDEAD) {
            return rc;
        }
        if (recoverQuietly(rc) == CONSISTENT_FAILED) {
            throw new CorruptSegmentException("pthread_mutex_consistent failed: name=" + handle.name(), handle.name());
        }
        return 0;
    }

    /**
     * @param rc what locking returned, after {@link #recover}: 0, or an error to throw
     * @return the guard of the lock this thread (or the carrier, for {@code grant}) now holds
     */
    private PosixGuard<T> locked(int rc, Duration timeout, boolean acknowledges, LockCarrier.Request grant) {
        switch (rc) {
            case 0:
                return held(acknowledges, grant);
            case Linux.ETIMEDOUT:
                throw new LockTimeoutException("lock not acquired in time: name=" + handle.name() + ", timeout=" + timeout
                        + ", ownerPid=" + handle.words.getInt(OWNER_PID_OFFSET), handle.name(), timeout);
            case Linux.ENOTRECOVERABLE:
                throw new CorruptSegmentException("mutex is not recoverable: errno=ENOTRECOVERABLE, name=" + handle.name(), handle.name());
            default:
                throw new IpcArcException("pthread_mutex_lock failed: errno=" + Linux.errnoName(rc) + ", name=" + handle.name(),
                        handle.name(), rc, Linux.errnoName(rc), null);
        }
    }

    /**
     * Records the lock as held by this thread through this handle, and makes its guard.
     *
     * @param grant the carrier's grant for a virtual thread, else {@code null}
     */
    private PosixGuard<T> held(boolean acknowledges, LockCarrier.Request grant) {
        RawMemory h = handle.words; // fixed offsets in the header; a closed mapping stays mapped (MappedMemory)
        long me = Thread.currentThread().getId();
        long prev = h.getLong(USER_MUTEX_OFFSET + MutexIntegrity.LIST_PREV);
        long next = h.getLong(USER_MUTEX_OFFSET + MutexIntegrity.LIST_NEXT);
        handle.attachment.lockOwner = me;
        hold.held(me, prev, next);
        h.putInt(OWNER_PID_OFFSET, ProcessIds.SELF_PID);
        long word = handle.seqlock.current();
        // Raw and odd: a writer died mid-update; the guard makes the word even when it closes normally.
        long torn = !crashAtomic && (word & 1) != 0 ? word : 0;
        boolean ownerDied = h.getInt(OWNER_DIED_OFFSET) != 0 || torn != 0;
        return new PosixGuard<>(arc, handle, ownerDied, acknowledges, word, torn,
                h.getInt(USER_MUTEX_OFFSET + MutexIntegrity.OWNER_WORD), prev, next, grant);
    }
}
