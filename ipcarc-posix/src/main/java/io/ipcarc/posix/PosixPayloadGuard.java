package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.PAYLOAD_LOCK_DEAD_OWNER_PID;
import static io.ipcarc.posix.segment.SegmentDescriptor.PAYLOAD_LOCK_OWNER_DIED;
import static io.ipcarc.posix.segment.SegmentDescriptor.PAYLOAD_LOCK_OWNER_PID;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.PayloadGuard;
import io.ipcarc.posix.lock.LockCarrier;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/** A held {@link PosixPayloadLock}; released by the thread that acquired it. */
final class PosixPayloadGuard implements PayloadGuard {
    private final PosixPayloadLock lock;
    private final SegmentHandle handle;
    private final MappedMemory memory;
    private final Thread owner = Thread.currentThread();
    private final boolean ownerDied;
    /** What the lock left in the mutex's owner word and robust-list links, checked before the unlock. */
    private final int heldOwner;
    private final long heldPrev;
    private final long heldNext;
    /** For a virtual thread: the carrier's grant, released through it; {@code null} on a platform thread. */
    private final LockCarrier.Request grant;
    private boolean released;

    PosixPayloadGuard(PosixPayloadLock lock, SegmentHandle handle, MappedMemory memory, boolean ownerDied, int heldOwner,
                      long heldPrev, long heldNext, LockCarrier.Request grant) {
        this.lock = lock;
        this.handle = handle;
        this.memory = memory;
        this.ownerDied = ownerDied;
        this.heldOwner = heldOwner;
        this.heldPrev = heldPrev;
        this.heldNext = heldNext;
        this.grant = grant;
    }

    @Override
    public boolean ownerDied() {
        return ownerDied;
    }

    @Override
    public boolean isHeld() {
        return !released;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("payload guard must be closed by the thread that acquired it: name=" + lock.name()
                    + ", payloadLock=" + lock.offset() + ", owner=" + owner.getName() + ", caller=" + Thread.currentThread().getName());
        }
        if (released) {
            return;
        }
        released = true;
        boolean unlocked = false;
        try {
            HeldPayloadLocks.remove(lock.key()); // inside: a late fault delivered here still releases the lock below
            if (memory.resized()) {
                throw releaseOnDamage(memory.closedError());
            }
            RawMemory w = handle.words;
            int slot = lock.slot;
            if (ownerDied) {
                // This guard saw the death and its holder closes normally: the structure is repaired.
                w.putInt(slot + PAYLOAD_LOCK_DEAD_OWNER_PID, 0);
                w.putInt(slot + PAYLOAD_LOCK_OWNER_DIED, 0);
            }
            w.putInt(slot + PAYLOAD_LOCK_OWNER_PID, 0);
            String damaged = MutexIntegrity.restore(w, slot, heldOwner, heldPrev, heldNext);
            int rc = grant == null ? ProcessMutex.unlock(lock.address) : grant.release();
            unlocked = true;
            memory.payloadHolds.decrementAndGet();
            if (damaged != null) {
                throw new CorruptSegmentException("payload lock damaged while held, repaired and released: name=" + lock.name()
                        + ", payloadLock=" + lock.offset() + ", words=" + damaged + " (a process wrote into the lock's slot)",
                        lock.name());
            }
            if (rc != 0) {
                throw new IllegalStateException("pthread_mutex_unlock failed: errno=" + Linux.errnoName(rc) + ", name="
                        + lock.name() + ", payloadLock=" + lock.offset());
            }
        } catch (InternalError e) {
            RuntimeException damage = memory.fault(e);
            if (unlocked) {
                throw damage;
            }
            throw releaseOnDamage(damage);
        }
    }

    /** Releases the lock of a segment found truncated while held (as {@code PosixGuard} does), and reports it. */
    private RuntimeException releaseOnDamage(RuntimeException damage) {
        boolean gone = memory.pageGone(lock.slot);
        if (grant != null) {
            grant.release(); // the carrier's unlock skips glibc when the page is gone
        } else if (!gone) {
            ProcessMutex.unlockSurely(lock.address, memory);
        }
        memory.payloadHolds.decrementAndGet();
        return new CorruptSegmentException("payload guard released on a damaged segment: " + damage.getMessage(), lock.name(),
                damage);
    }

    @Override
    public String toString() {
        return "PayloadGuard[" + lock.name() + ", offset=" + lock.offset() + (released ? ", released" : ", held by "
                + owner.getName()) + "]";
    }
}
