package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.PAYLOAD_LOCK_DEAD_OWNER_PID;
import static io.ipcarc.posix.segment.SegmentDescriptor.PAYLOAD_LOCK_OWNER_DIED;
import static io.ipcarc.posix.segment.SegmentDescriptor.PAYLOAD_LOCK_OWNER_PID;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArcException;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.PayloadGuard;
import io.ipcarc.PayloadLock;
import io.ipcarc.posix.events.OwnerDeathEvent;
import java.time.Duration;
import java.util.Optional;
import io.ipcarc.posix.lock.LockCarrier;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.MutexWait;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.segment.SegmentDescriptor;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.ProcessIds;
import io.ipcarc.posix.sys.RawMemory;

/**
 * A {@link PayloadLock}: the robust mutex in a slot of a raw payload (docs/design.md, "Payload
 * locks"), taken and released like the segment's own lock: the kind word checked before every
 * call into glibc, waits through {@link MutexWait} (never asleep inside glibc), a dead owner
 * recorded in the slot before the mutex is made consistent, the words glibc trusts repaired
 * before the unlock, and a truncated segment reported as {@link CorruptSegmentException}.
 *
 * <p>Which locks a thread holds is its own business ({@link HeldPayloadLocks}), so that a relock
 * is refused and told apart from a thread of another PID namespace with the same thread id; how
 * many are held through the handle is counted in its mapping, so that {@code close()} refuses
 * meanwhile and a mapping with a held lock is never unmapped. Virtual threads lock through the
 * handle's {@link LockCarrier}, one lock at a time.
 */
final class PosixPayloadLock implements PayloadLock {
    private static final int BLOCKING = 0;
    private static final int TRY = 1;
    private static final int TIMED = 2;
    private static final int INTERRUPTIBLE = 3;

    private final SegmentHandle handle;
    private final MappedMemory memory;
    /** The slot's offset in the payload, as the user names it. */
    private final int offset;
    /** The slot's offset in the mapping. */
    final int slot;
    /** The mutex's absolute address. */
    final long address;

    PosixPayloadLock(SegmentHandle handle, int offset, int slot) {
        this.handle = handle;
        this.memory = handle.memory();
        this.offset = offset;
        this.slot = slot;
        this.address = memory.address() + slot;
    }

    @Override
    public int offset() {
        return offset;
    }

    String name() {
        return handle.name();
    }

    /** @return the key of this lock among the locks a thread holds: the object and the slot */
    long key() {
        return handle.attachment.inode * 31 + slot;
    }

    @Override
    public PayloadGuard acquire() {
        return take(BLOCKING, 0, null);
    }

    @Override
    public PayloadGuard acquireInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring: name=" + name() + ", payloadLock=" + offset);
        }
        PosixPayloadGuard g = tryUncontended();
        return g != null ? g : takeWaiting(INTERRUPTIBLE, Long.MAX_VALUE / 4, null);
    }

    @Override
    public PayloadGuard acquire(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout + ", name=" + name());
        }
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
        return take(TIMED, nanos, timeout);
    }

    @Override
    public Optional<PayloadGuard> tryAcquire() {
        return Optional.ofNullable(take(TRY, 0, null));
    }

    private PosixPayloadGuard take(int mode, long nanos, Duration timeout) {
        PosixPayloadGuard g = tryUncontended();
        if (g != null) {
            return g;
        }
        try {
            return takeWaiting(mode, nanos, timeout);
        } catch (InterruptedException e) {
            throw new AssertionError("only INTERRUPTIBLE waits are interrupted", e);
        }
    }

    /** One trylock on a platform thread; {@code null} when busy, a relock, or on a virtual thread. */
    private PosixPayloadGuard tryUncontended() {
        if (Threads.isVirtual()) {
            return null;
        }
        try {
            checkBeforeTouching(false);
            memory.payloadHolds.incrementAndGet();
            boolean counted = true;
            try {
                int rc = ProcessMutex.tryLock(address);
                if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
                    return null;
                }
                PosixPayloadGuard g = held(recover(rc), null, null);
                counted = false;
                return g;
            } finally {
                if (counted) {
                    memory.payloadHolds.decrementAndGet();
                }
            }
        } catch (InternalError e) {
            throw memory.fault(e);
        }
    }

    private PosixPayloadGuard takeWaiting(int mode, long nanos, Duration timeout) throws InterruptedException {
        if (HeldPayloadLocks.holds(key())) {
            throw new IllegalStateException("payload lock already held by this thread: name=" + name() + ", payloadLock="
                    + offset + " (close the guard you hold first)");
        }
        if (mode == TRY && !Threads.isVirtual()) {
            return null;
        }
        memory.enter(); // counted while it waits: close() refuses meanwhile
        try {
            if (Threads.isVirtual()) {
                return takeForVirtualThread(mode, nanos, timeout);
            }
            memory.payloadHolds.incrementAndGet();
            boolean counted = true;
            try {
                int rc = ObservedWait.lockUntil(handle, offset, slot + PAYLOAD_LOCK_OWNER_PID, slot,
                        mode == BLOCKING ? ObservedWait.FOREVER : nanos,
                        mode == INTERRUPTIBLE ? Thread::interrupted : MutexWait.NEVER, () -> checkBeforeTouching(true));
                if (rc == -1) {
                    throw new InterruptedException("interrupted while acquiring: name=" + name() + ", payloadLock=" + offset);
                }
                PosixPayloadGuard g = held(recover(rc), timeout, null);
                counted = false;
                return g;
            } finally {
                if (counted) {
                    memory.payloadHolds.decrementAndGet();
                }
            }
        } catch (InternalError e) {
            throw memory.fault(e);
        } finally {
            memory.exit();
        }
    }

    private PosixPayloadGuard takeForVirtualThread(int mode, long nanos, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + (mode == BLOCKING ? Long.MAX_VALUE / 4 : mode == TRY ? 0 : nanos);
        LockCarrier.Request r = handle.carrier().submit(mode == TRY, stop -> {
            checkBeforeTouching(true);
            int rc = ProcessMutex.tryLock(address);
            if ((rc == Linux.EBUSY || rc == Linux.EDEADLK) && mode != TRY) {
                rc = ObservedWait.lockUntil(handle, offset, slot + PAYLOAD_LOCK_OWNER_PID, slot, deadline - System.nanoTime(),
                        stop, () -> checkBeforeTouching(true));
            }
            return rc == Linux.EOWNERDEAD ? recoverOnCarrier() : rc;
        }, () -> memory.pageGone(slot) ? 0 : ProcessMutex.unlockSurely(address, memory));
        int rc = r.await(mode == TRY ? System.nanoTime() + Long.MAX_VALUE / 4 : deadline, mode == INTERRUPTIBLE);
        if (r.failure() != null) {
            throw r.failure();
        }
        if (rc == -1) {
            if (mode == INTERRUPTIBLE && Thread.interrupted()) {
                throw new InterruptedException("interrupted while acquiring: name=" + name() + ", payloadLock=" + offset);
            }
            rc = Linux.ETIMEDOUT;
        }
        if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
            return null;
        }
        memory.payloadHolds.incrementAndGet();
        return held(rc, timeout, r);
    }

    /**
     * What every lock attempt checks before glibc touches the mutex: the handle is usable, the
     * kind word glibc trusts is intact, and after a sleep the object still has its size.
     */
    private void checkBeforeTouching(boolean slowPath) {
        if (!memory.alive()) {
            throw memory.closedError();
        }
        if (slowPath) {
            handle.attachment.checkSize();
        }
        if (!MutexIntegrity.kindIntact(handle.words, slot)) {
            throw new CorruptSegmentException("not a payload lock, or a damaged one, not called: name=" + name()
                    + ", payloadLock=" + offset + ", word=kind, found=" + handle.words.getInt(slot + SegmentDescriptor.MUTEX_KIND_WORD)
                    + ", expected=" + SegmentDescriptor.MUTEX_KIND + " (was the segment created with ArcOptions.withPayloadLocks"
                    + " covering this offset?)", name());
        }
    }

    /** On the carrier: a dead owner's lock, recorded and made consistent; 0, or an error after unlocking. */
    private int recoverOnCarrier() {
        recordDeath();
        int crc = ProcessMutex.consistent(address);
        if (crc != 0) {
            ProcessMutex.unlock(address);
            return Linux.ENOTRECOVERABLE;
        }
        return 0;
    }

    /** @return 0 once an EOWNERDEAD is recorded and the mutex consistent; other results as they are */
    private int recover(int rc) {
        if (rc != Linux.EOWNERDEAD) {
            return rc;
        }
        if (recoverOnCarrier() != 0) {
            throw new CorruptSegmentException("pthread_mutex_consistent failed: name=" + name() + ", payloadLock=" + offset, name());
        }
        return 0;
    }

    /** Records the death in the slot, before the mutex is made consistent: every later guard reports it until one repairs. */
    private void recordDeath() {
        RawMemory w = handle.words;
        int dead = w.getInt(slot + PAYLOAD_LOCK_OWNER_PID);
        w.putInt(slot + PAYLOAD_LOCK_DEAD_OWNER_PID, dead);
        w.putIntVolatile(slot + PAYLOAD_LOCK_OWNER_DIED, 1);
        handle.attachment.stats.ownerDied();
        OwnerDeathEvent.emit(name(), ObservedWait.lockName(offset), dead);
    }

    private PosixPayloadGuard held(int rc, Duration timeout, LockCarrier.Request grant) {
        switch (rc) {
            case 0:
                break;
            case Linux.ETIMEDOUT:
                throw new LockTimeoutException("payload lock not acquired in time: name=" + name() + ", payloadLock=" + offset
                        + ", timeout=" + timeout + ", ownerPid=" + handle.words.getInt(slot + PAYLOAD_LOCK_OWNER_PID), name(), timeout);
            case Linux.ENOTRECOVERABLE:
                throw new CorruptSegmentException("payload lock is not recoverable: errno=ENOTRECOVERABLE, name=" + name()
                        + ", payloadLock=" + offset, name());
            default:
                throw new IpcArcException("pthread_mutex_lock failed: errno=" + Linux.errnoName(rc) + ", name=" + name()
                        + ", payloadLock=" + offset, name(), rc, Linux.errnoName(rc), null);
        }
        RawMemory w = handle.words;
        w.putInt(slot + PAYLOAD_LOCK_OWNER_PID, ProcessIds.SELF_PID);
        HeldPayloadLocks.add(key());
        return new PosixPayloadGuard(this, handle, memory, w.getInt(slot + PAYLOAD_LOCK_OWNER_DIED) != 0,
                w.getInt(slot + MutexIntegrity.OWNER_WORD), w.getLong(slot + MutexIntegrity.LIST_PREV),
                w.getLong(slot + MutexIntegrity.LIST_NEXT), grant);
    }

    @Override
    public String toString() {
        return "PayloadLock[" + name() + ", offset=" + offset + "]";
    }
}
