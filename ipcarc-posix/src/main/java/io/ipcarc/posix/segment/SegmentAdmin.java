package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.ADMIN_MUTEX_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDERS_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_SLOT_SIZE;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_GENERATION;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_HANDLES;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_PID;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_SLOTS;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_START;
import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_WAITERS;
import static io.ipcarc.posix.segment.SegmentDescriptor.REFCOUNT_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.WAITERS_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.holderSlotOffset;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArcException;
import io.ipcarc.LockTimeoutException;
import java.time.Duration;
import io.ipcarc.posix.events.HoldersReapedEvent;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.MutexWait;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.ProcessIds;
import io.ipcarc.posix.sys.RawMemory;

/**
 * The reference count and the table of holders of one segment, changed only under the
 * segment's admin mutex. The refcount word is always the sum of the holders' handle counts,
 * so a process that dies in the middle of an update is repaired by recomputing it.
 *
 * <p>A holder is alive exactly while its liveness token ({@link HolderLocks}) is held; dead
 * holders are reaped on every load and close of the segment (a create finds no holders to reap).
 */
public final class SegmentAdmin {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    /** How long the admin mutex is waited for; {@code -Dipcarc.adminTimeout=PT0.2S} changes it. */
    static final Duration ADMIN_TIMEOUT = Duration.parse(System.getProperty("ipcarc.adminTimeout", "PT10S"));

    private final MappedMemory memory;
    private final MemoryView header;
    /** The header's fixed-offset words, for the admin mutex's integrity checks ({@link MemoryView#headerWords()}). */
    private final RawMemory words;
    private final String name;
    /** A descriptor of the object, to ask the kernel about other holders' tokens. */
    private final ShmFile file;
    /** This process's attachment, or {@code null} for an administrative caller that holds no handle. */
    private final Attachment self;
    /** The size check made before the admin mutex is touched (and after every sleep on it). */
    private final MutexWait.PageCheck sizeCheck;
    /** How many holder slots lie inside the object: all of them, unless it was truncated. */
    private final int slots;
    /** What this thread's admin lock left in the mutex's words, for {@link #unlock()}. */
    private int heldOwner;
    private long heldPrev;
    private long heldNext;

    /**
     * @param memory the mapping the header view is of
     * @param header a view of the whole mapping
     * @param file a descriptor of the object
     * @param self this process's attachment, or {@code null} for an administrative caller
     * @param sizeCheck throws if the object lost pages this object touches
     */
    SegmentAdmin(MappedMemory memory, MemoryView header, ShmFile file, Attachment self, MutexWait.PageCheck sizeCheck) {
        this(memory, header, file, self, sizeCheck, HOLDER_SLOTS);
    }

    private SegmentAdmin(MappedMemory memory, MemoryView header, ShmFile file, Attachment self, MutexWait.PageCheck sizeCheck,
                         int slots) {
        this.memory = memory;
        this.header = header;
        this.words = header.headerWords();
        this.name = file.name;
        this.file = file;
        this.self = self;
        this.sizeCheck = sizeCheck;
        this.slots = slots;
    }

    /**
     * The admin of a segment that another process truncated to {@code size} bytes, but not below
     * its first page (the mutexes, the refcount): it touches only the holder slots still inside
     * the object, so that a holder can give its reference back and the survivors' count stays exact.
     *
     * @param size the object's size now, at least one page
     * @return the admin
     */
    SegmentAdmin truncatedTo(long size) {
        int inside = (int) Math.max(0, Math.min(HOLDER_SLOTS, (size - HOLDERS_OFFSET) / HOLDER_SLOT_SIZE));
        return new SegmentAdmin(memory, header, file, self, () -> {
            long now = file.size();
            if (now < size) {
                throw new CorruptSegmentException("segment truncated further by another process: name=" + name
                        + ", size=" + now + ", was=" + size, name);
            }
        }, inside);
    }

    /** Takes the admin mutex, repairing the table if its last owner died. */
    void lock() {
        sizeCheck.check();
        MutexIntegrity.checkKind(words, ADMIN_MUTEX_OFFSET, name, "admin");
        long addr = header.addressOf(ADMIN_MUTEX_OFFSET);
        int rc = ProcessMutex.tryLock(addr);
        if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
            rc = MutexWait.lockUntil(words, memory.address(), ADMIN_MUTEX_OFFSET, System.nanoTime() + ADMIN_TIMEOUT.toNanos(),
                    MutexWait.NEVER, () -> {
                        sizeCheck.check();
                        MutexIntegrity.checkKind(words, ADMIN_MUTEX_OFFSET, name, "admin");
                    });
        }
        switch (rc) {
            case 0 -> noteHeld();
            case Linux.EOWNERDEAD -> {
                ProcessMutex.consistent(addr);
                noteHeld();
                LOG.log(System.Logger.Level.INFO, "recovered the admin lock of a segment from a dead process: name={0}", name);
                reapDead();
                recount();
            }
            case Linux.ETIMEDOUT -> throw new LockTimeoutException("admin lock not acquired: name=" + name
                    + ", timeout=" + ADMIN_TIMEOUT, name, ADMIN_TIMEOUT);
            case Linux.ENOTRECOVERABLE -> throw new CorruptSegmentException(
                    "admin mutex is not recoverable: errno=ENOTRECOVERABLE, name=" + name, name);
            default -> throw new IpcArcException("pthread_mutex_lock failed: errno=" + Linux.errnoName(rc)
                    + ", name=" + name + ", mutex=admin", name, rc, Linux.errnoName(rc), null);
        }
    }

    private void noteHeld() {
        heldOwner = header.getInt(ADMIN_MUTEX_OFFSET + MutexIntegrity.OWNER_WORD);
        heldPrev = header.getLong(ADMIN_MUTEX_OFFSET + MutexIntegrity.LIST_PREV);
        heldNext = header.getLong(ADMIN_MUTEX_OFFSET + MutexIntegrity.LIST_NEXT);
        memory.adminHold.held(Thread.currentThread().getId(), heldPrev, heldNext);
    }

    /** Releases the admin mutex; not through glibc if its page vanished meanwhile ({@link MappedMemory#markResized}). */
    void unlock() {
        memory.adminHold.threadId = 0;
        RuntimeException fault = null;
        String damaged = null;
        if (!memory.mutexPageGone()) {
            try {
                damaged = MutexIntegrity.restore(words, ADMIN_MUTEX_OFFSET, heldOwner, heldPrev, heldNext);
            } catch (InternalError e) {
                fault = memory.fault(e);
            }
        }
        // Never left locked, whatever HotSpot delivers on the way (a truncation found meanwhile).
        int rc = memory.mutexPageGone() ? 0 : ProcessMutex.unlockSurely(header.addressOf(ADMIN_MUTEX_OFFSET), memory);
        if (fault != null) {
            throw fault;
        }
        if (memory.resized()) {
            throw memory.closedError();
        }
        if (damaged != null) {
            throw MutexIntegrity.damagedWhileHeld(name, "admin", damaged);
        }
        if (rc != 0) {
            throw new IpcArcException("pthread_mutex_unlock failed: errno=" + Linux.errnoName(rc) + ", name=" + name
                    + ", mutex=admin", name, rc, Linux.errnoName(rc), null);
        }
    }

    /**
     * @param slot a slot index whose pid word is not 0
     * @return whether its holder still holds its liveness token (this process's own slot is alive)
     */
    boolean isAlive(int slot) {
        if (self != null && self.slot == slot) {
            return true;
        }
        return HolderLocks.isHeld(file.fd, slot);
    }

    /**
     * Frees the slots of holders that are no longer alive. Call under the admin mutex.
     *
     * @return how many handles were reaped
     */
    long reapDead() {
        long reaped = 0;
        int holders = 0;
        StringBuilder pids = null;
        for (int i = 0; i < slots; i++) {
            int slot = holderSlotOffset(i);
            int pid = header.getInt(slot + HOLDER_PID);
            if (pid == 0 || isAlive(i)) {
                continue;
            }
            long handles = header.getLong(slot + HOLDER_HANDLES);
            clearSlot(slot);
            reaped += Math.max(0, handles);
            holders++;
            pids = (pids == null ? new StringBuilder() : pids.append(',')).append(pid);
            LOG.log(System.Logger.Level.INFO, "reaped dead holder: name={0}, slot={1}, pid={2}, handles={3}",
                    name, i, String.valueOf(pid), handles);
        }
        if (holders > 0) {
            recount();
            if (self != null) {
                self.stats.reaped(holders);
            }
            HoldersReapedEvent event = new HoldersReapedEvent();
            if (event.shouldCommit()) {
                event.segment = name;
                event.holders = holders;
                event.handles = reaped;
                event.pids = pids.toString();
                event.commit();
            }
        }
        return reaped;
    }

    /**
     * Counts the holders alive now: occupied slots whose liveness token is held. Without the admin
     * mutex, so a snapshot (a slot claimed or freed meanwhile may be counted either way).
     *
     * @return the number of live holder processes
     */
    public int liveHolders() {
        int n = 0;
        for (int i = 0; i < slots; i++) {
            if (header.getIntAcquire(holderSlotOffset(i) + HOLDER_PID) != 0 && isAlive(i)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Adds one handle of this process: to its slot, or to a newly claimed slot whose liveness
     * token it takes first. Call under the admin mutex.
     */
    void addHandle() {
        if (self.slot >= 0) {
            int slot = holderSlotOffset(self.slot);
            checkOwnCount(slot);
            self.handles++;
            header.putLong(slot + HOLDER_HANDLES, self.handles);
            recount();
            return;
        }
        for (int i = 0; i < slots; i++) {
            int slot = holderSlotOffset(i);
            // A slot with pid 0 whose token is still taken belongs to a process that is releasing it right now.
            if (header.getInt(slot + HOLDER_PID) != 0 || HolderLocks.lock(file.fd, i) != 0) {
                continue;
            }
            // Token first, pid last: a slot never shows a pid without a live token behind it.
            int generation = header.getInt(slot + HOLDER_GENERATION) + 1;
            generation = generation == 0 ? 1 : generation;
            header.putIntVolatile(slot + HOLDER_WAITERS, 0); // nothing a late sleeper of the last owner left
            self.handles = 1;
            header.putLong(slot + HOLDER_HANDLES, 1);
            header.putLong(slot + HOLDER_START, ProcessIds.SELF_START);
            header.putInt(slot + HOLDER_GENERATION, generation);
            header.putIntRelease(slot + HOLDER_PID, ProcessIds.SELF_PID);
            self.slot = i;
            self.generation = generation;
            recount();
            return;
        }
        throw new IpcArcException("holder table full: name=" + name + ", slots=" + HOLDER_SLOTS
                + " (at most that many processes can hold a segment)", name);
    }

    /**
     * Removes one handle of this process; its last handle frees its slot and gives its token back.
     * Call under the admin mutex.
     *
     * @return the refcount after the removal
     */
    long removeHandle() {
        if (self.slot >= 0 && self.slot < slots) {
            int slot = holderSlotOffset(self.slot);
            checkOwnCount(slot);
            long n = --self.handles;
            if (n <= 0) {
                int index = self.slot;
                // Given up before the waiter count is taken off: a sleeper of this process that counts
                // itself in after the take-off then sees it, and takes its own count back (ChangeSignal.sleep).
                self.slot = -1;
                clearSlot(slot);
                HolderLocks.unlock(file.fd, index);
            } else {
                header.putLong(slot + HOLDER_HANDLES, n);
            }
        } else if (self.slot >= slots && --self.handles <= 0) {
            // The slot lies past the end of a truncated object: only the token can be given back.
            HolderLocks.unlock(file.fd, self.slot);
            self.slot = -1;
        }
        return recount();
    }

    /**
     * The process's own count of its handles is the truth; its slot's word is shared memory that
     * another process could have scribbled on. A difference is repaired (and logged) before the
     * count is changed, so that the last close of this process empties its slot, and the
     * segment's refcount (the sum of the slots) reaches 0 when it should.
     */
    private void checkOwnCount(int slot) {
        long shared = header.getLong(slot + HOLDER_HANDLES);
        if (shared != self.handles) {
            header.putLong(slot + HOLDER_HANDLES, self.handles);
            LOG.log(System.Logger.Level.WARNING, "repaired this process's handle count in a segment's holder table (another"
                    + " process wrote it): name={0}, slot={1}, found={2}, handles={3}", name, self.slot, shared, self.handles);
        }
    }

    /**
     * @param holderId a value of {@link Attachment#holderId()} from any process
     * @return whether that holder still holds its slot and its liveness token
     */
    public boolean isHolderAlive(long holderId) {
        int index = (int) holderId;
        int generation = (int) (holderId >>> 32);
        if (index < 0 || index >= HOLDER_SLOTS || generation == 0) {
            return false;
        }
        int slot = holderSlotOffset(index);
        return header.getIntAcquire(slot + HOLDER_PID) != 0 && header.getInt(slot + HOLDER_GENERATION) == generation
                && isAlive(index);
    }

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
        header.putIntRelease(slot + HOLDER_PID, 0);
        header.putLong(slot + HOLDER_START, 0);
        header.putLong(slot + HOLDER_HANDLES, 0);
    }

    /** Sets the refcount word to the sum of the holders' handles and returns it. */
    private long recount() {
        long sum = 0;
        for (int i = 0; i < slots; i++) {
            int slot = holderSlotOffset(i);
            if (header.getInt(slot + HOLDER_PID) != 0) {
                sum += Math.max(0, header.getLong(slot + HOLDER_HANDLES));
            }
        }
        header.putLongRelease(REFCOUNT_OFFSET, sum);
        return sum;
    }
}
