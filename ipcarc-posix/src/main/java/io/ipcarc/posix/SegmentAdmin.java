package io.ipcarc.posix;

import static io.ipcarc.posix.SegmentDescriptor.ADMIN_MUTEX_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.HOLDER_HANDLES;
import static io.ipcarc.posix.SegmentDescriptor.HOLDER_PID;
import static io.ipcarc.posix.SegmentDescriptor.HOLDER_SLOTS;
import static io.ipcarc.posix.SegmentDescriptor.HOLDER_START;
import static io.ipcarc.posix.SegmentDescriptor.HOLDER_WAITERS;
import static io.ipcarc.posix.SegmentDescriptor.REFCOUNT_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.WAITERS_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.holderSlotOffset;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArcException;
import io.ipcarc.LockTimeoutException;
import java.time.Duration;

/**
 * The reference count and the table of holders of one segment, changed only under the
 * segment's admin mutex. The refcount word is always the sum of the holders' handle counts,
 * so a process that dies in the middle of an update is repaired by recomputing it.
 */
final class SegmentAdmin {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final MemoryView header;
    private final String name;

    SegmentAdmin(MemoryView header, String name) {
        this.header = header;
        this.name = name;
    }

    /** @return the segment's name, for messages */
    String name() {
        return name;
    }

    /** Takes the admin mutex, repairing the table if its last owner died. */
    void lock() {
        long addr = header.addressOf(ADMIN_MUTEX_OFFSET);
        int rc = ProcessMutex.tryLock(addr);
        if (rc == Linux.EBUSY) {
            rc = ProcessMutex.lockUntil(addr, System.nanoTime() + ADMIN_TIMEOUT.toNanos(), false);
        }
        switch (rc) {
            case 0 -> { }
            case Linux.EOWNERDEAD -> {
                ProcessMutex.consistent(addr);
                LOG.log(System.Logger.Level.INFO, "recovered the admin lock of a segment from a dead process: name={0}", name);
                reapDead();
                recount();
            }
            case Linux.ETIMEDOUT -> throw new LockTimeoutException("admin lock not acquired: name=" + name
                    + ", timeout=" + ADMIN_TIMEOUT, name, ADMIN_TIMEOUT);
            case Linux.ENOTRECOVERABLE -> throw new CorruptSegmentException(
                    "admin mutex is not recoverable: errno=ENOTRECOVERABLE, name=" + name, name);
            case Linux.EDEADLK -> throw new IllegalStateException("admin lock already held by this thread: name=" + name);
            default -> throw new IpcArcException("pthread_mutex_lock failed: errno=" + Linux.errnoName(rc)
                    + ", name=" + name + ", mutex=admin", name, rc, Linux.errnoName(rc), null);
        }
    }

    /** Releases the admin mutex. */
    void unlock() {
        int rc = ProcessMutex.unlock(header.addressOf(ADMIN_MUTEX_OFFSET));
        if (rc != 0) {
            throw new IpcArcException("pthread_mutex_unlock failed: errno=" + Linux.errnoName(rc) + ", name=" + name
                    + ", mutex=admin", name, rc, Linux.errnoName(rc), null);
        }
    }

    /**
     * Frees the slots of holders that are no longer alive. Call under the admin mutex.
     *
     * @return how many handles were reaped
     */
    long reapDead() {
        long reaped = 0;
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            int pid = header.getInt(slot + HOLDER_PID);
            if (pid == 0) {
                continue;
            }
            long start = header.getLong(slot + HOLDER_START);
            if (!ProcessIds.isAlive(pid, start)) {
                long handles = header.getLong(slot + HOLDER_HANDLES);
                clearSlot(slot);
                reaped += handles;
                LOG.log(System.Logger.Level.INFO, "reaped dead holder: name={0}, pid={1}, handles={2}",
                        name, String.valueOf(pid), handles);
            }
        }
        if (reaped > 0) {
            recount();
        }
        return reaped;
    }

    /** Adds one handle of this process. Call under the admin mutex. */
    void addHandle() {
        int free = -1;
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            int pid = header.getInt(slot + HOLDER_PID);
            if (pid == ProcessIds.SELF_PID && header.getLong(slot + HOLDER_START) == ProcessIds.SELF_START) {
                header.putLong(slot + HOLDER_HANDLES, header.getLong(slot + HOLDER_HANDLES) + 1);
                recount();
                return;
            }
            if (pid == 0 && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            throw new IpcArcException("holder table full: name=" + name + ", slots=" + HOLDER_SLOTS
                    + " (at most that many processes can hold a segment)", name);
        }
        int slot = holderSlotOffset(free);
        header.putIntVolatile(slot + HOLDER_WAITERS, 0); // nothing a late sleeper of the last owner left
        header.putLong(slot + HOLDER_HANDLES, 1);
        header.putLong(slot + HOLDER_START, ProcessIds.SELF_START);
        header.putInt(slot + HOLDER_PID, ProcessIds.SELF_PID);
        recount();
    }

    /**
     * Removes one handle of this process. Call under the admin mutex.
     *
     * @return the refcount after the removal
     */
    long removeHandle() {
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            if (header.getInt(slot + HOLDER_PID) == ProcessIds.SELF_PID
                    && header.getLong(slot + HOLDER_START) == ProcessIds.SELF_START) {
                long n = header.getLong(slot + HOLDER_HANDLES) - 1;
                if (n <= 0) {
                    clearSlot(slot);
                } else {
                    header.putLong(slot + HOLDER_HANDLES, n);
                }
                break;
            }
        }
        return recount();
    }

    /**
     * Finds this process's slot without the admin mutex: only this process writes a slot that
     * holds its pid, and the slot stays while one of its handles is open.
     *
     * @return the offset of the slot, or -1 if this process holds no handle
     */
    int ownSlot() {
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            if (isOwnSlot(slot)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * @param slot a slot's offset
     * @return whether the slot holds this process (pid and start time); read without the admin mutex
     */
    boolean isOwnSlot(int slot) {
        return header.getIntAcquire(slot + HOLDER_PID) == ProcessIds.SELF_PID
                && header.getLong(slot + HOLDER_START) == ProcessIds.SELF_START;
    }

    /**
     * This process's identity among the holders: its slot index plus one in the low 32 bits,
     * its pid in the high 32 bits (layout version 1).
     *
     * @return the id, 0 if this process holds no handle
     */
    long holderId() {
        int slot = ownSlot();
        return slot < 0 ? 0 : (long) ProcessIds.SELF_PID << 32 | ((slot - HOLDERS_OFFSET_FIRST) / SegmentDescriptor.HOLDER_SLOT_SIZE + 1);
    }

    /**
     * @param holderId a value of {@link #holderId()}
     * @return whether that slot still holds that live process
     */
    boolean isHolderAlive(long holderId) {
        int index = (int) holderId - 1;
        int pid = (int) (holderId >>> 32);
        if (index < 0 || index >= HOLDER_SLOTS || pid == 0) {
            return false;
        }
        int slot = holderSlotOffset(index);
        return header.getIntAcquire(slot + HOLDER_PID) == pid && ProcessIds.isAlive(pid, header.getLong(slot + HOLDER_START));
    }

    private static final int HOLDERS_OFFSET_FIRST = holderSlotOffset(0);

    private void clearSlot(int slot) {
        // A dead process's sleepers can no longer count themselves out: do it for them, so that
        // releasing guards stop paying for a futex wake nobody waits for.
        // The same goes for this process's own slot when a handle is released at exit while one
        // of its threads still sleeps: that thread then finds its count gone and leaves the total
        // alone (ChangeSignal.countOut). The count is taken atomically, so each unit is taken
        // off the total exactly once, here or there.
        int waiters;
        do {
            waiters = header.getIntVolatile(slot + HOLDER_WAITERS);
        } while (waiters != 0 && !header.compareAndSetInt(slot + HOLDER_WAITERS, waiters, 0));
        if (waiters > 0) {
            header.getAndAddInt(WAITERS_OFFSET, -waiters);
        }
        header.putInt(slot + HOLDER_PID, 0);
        header.putLong(slot + HOLDER_START, 0);
        header.putLong(slot + HOLDER_HANDLES, 0);
    }

    /** Sets the refcount word to the sum of the holders' handles and returns it. */
    private long recount() {
        long sum = 0;
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            if (header.getInt(slot + HOLDER_PID) != 0) {
                sum += header.getLong(slot + HOLDER_HANDLES);
            }
        }
        header.putLongRelease(REFCOUNT_OFFSET, sum);
        return sum;
    }
}
