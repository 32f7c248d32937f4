package io.ipcarc.posix.memory;

import static io.ipcarc.posix.sys.Linux.PAGE_SIZE;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArcException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Errors;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/**
 * One mmap of a segment, owned by exactly one handle, and the only owner of its address.
 *
 * <p>Two things make {@link #markClosed()} refuse, so that a handle is never closed under its own
 * user: its state word, which counts the threads that wait for the segment's lock or await a
 * change through this handle (an atomic add in and out: those threads are about to block
 * anyway), with the sign bit set once the handle is closed; and {@link #hold}, the thread that
 * holds the lock through this handle, a plain field that only that thread writes. The
 * uncontended {@code acquire()} and the guard's {@code close()} so make no atomic operation of
 * their own.
 *
 * <p>That is safe because a closed mapping stays mapped ({@link #endAccess()} only ends Java
 * accesses) until nothing can reach this object: then a {@link Cleaner} unmaps it, unless a
 * thread still holds the lock through it (a guard dropped without close(): the kernel's robust
 * list points into the mapping, which then stays for the life of the process). A racing access
 * that passed a closed check (a trylock, an unlock, a lock-free read's load) therefore always
 * reaches the real segment, never an unmapped or replaced page. The memory of a segment whose
 * last reference is dropped is given back at once by the one that drops it (the payload is
 * punched out of the object, by the segment layer), not when this mapping is unmapped.
 *
 * <p>When another process truncates or grows the object ({@link #markResized}), the pages past
 * the new end are replaced in this process by private zero pages, so that no access through
 * this mapping can fault any more, and every checked access and every use of the handle fails
 * with {@link CorruptSegmentException} from then on. docs/design.md, "Truncation".
 */
public final class MappedMemory extends Scope {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final int CLOSED = Integer.MIN_VALUE;

    private final String name;
    private final RawMemory raw;
    /** Whose mapping this is (the process's attachment to the object); {@code null} for a probe of a file that is not attached. */
    private final MappingOwner attachment;
    /** The object's size when it was found resized, -1 while it has the size this mapping was made for. */
    private volatile long resizedTo = -1;
    /**
     * Set once a replaced page held a mutex a thread of this process held: the thread's robust
     * list points into it, so the mapping stays for the life of the process. Shared with the unmapper.
     */
    private final AtomicBoolean keepForever = new AtomicBoolean();
    private final AtomicInteger state;
    private final Cleaner.Cleanable unmapper;
    /** The thread that holds the segment's user mutex through this handle; shared with the unmapper. */
    public final Hold hold;
    /** The thread that holds the segment's admin mutex through this mapping. */
    public final Hold adminHold = new Hold();
    /** How many payload locks ({@code PosixPayloadLock}) threads hold through this mapping; shared with the unmapper. */
    public final AtomicInteger payloadHolds = new AtomicInteger();

    /** Alive until {@link #endAccess()}; for the library's own header accesses. */
    final Scope internal = new Scope() {
        @Override
        public RuntimeException closedError() {
            return MappedMemory.this.closedError();
        }

        @Override
        public RuntimeException fault(InternalError e) {
            return MappedMemory.this.fault(e);
        }
    };

    /**
     * Which thread holds the user mutex through one handle: its id ({@link Thread#getId()}), 0 if
     * none (an id, for the reason given at {@code Attachment.lockOwner}). Written only by that
     * thread, right after it locked and right before it unlocks: a plain field, read by
     * {@link #markClosed()} (a close that races with an acquire on another thread may miss it;
     * docs/design.md, Close) and by the unmapper, after the GC found the mapping unreachable.
     */
    public static final class Hold {
        /** The holder's thread id ({@link Thread#getId()}), 0 if none. */
        public long threadId;
        /**
         * The mutex's robust-list links as glibc wrote them when this thread locked it
         * ({@code MutexIntegrity}): written into a replacement page if the mutex's page vanishes
         * while it is held ({@link #markResized}), so that the thread's robust list stays walkable.
         */
        public long prev;
        /** The robust list's next link; see {@link #prev}. */
        public long next;
        /** The holder's guard while it has handed out views ({@code buffer()}, {@code view()}): ended by {@link #markResized}. */
        public volatile Scope guard;

        /**
         * Records the lock as held by a thread, with the links glibc wrote.
         *
         * @param thread the holder's id
         * @param listPrev the robust list's previous link
         * @param listNext the robust list's next link
         */
        public void held(long thread, long listPrev, long listNext) {
            prev = listPrev;
            next = listNext;
            threadId = thread;
        }
    }

    private MappedMemory(String name, RawMemory raw, MappingOwner attachment) {
        this.name = name;
        this.raw = raw;
        this.attachment = attachment;
        this.state = new AtomicInteger();
        this.hold = new Hold();
        this.unmapper = CLEANER.register(this, new Unmapper(name, raw, state, hold, payloadHolds, keepForever));
        if (attachment != null) {
            attachment.register(this);
        }
    }

    /**
     * Maps {@code size} bytes of {@code file} shared, readable and writable.
     *
     * @param fd an open shared-memory object
     * @param name its segment name, for messages
     * @param size bytes to map, at most the object's size
     * @param attachment whose mapping it is (this process's attachment to the object), or {@code null} for a probe
     * @return the mapping
     */
    public static MappedMemory map(int fd, String name, long size, MappingOwner attachment) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IpcArcException("segment size out of range: size=" + size + ", name=" + name, name);
        }
        RawMemory raw = Binding.CURRENT.map(fd, (int) size);
        if (raw == null) {
            throw Errors.syscall("mmap", Binding.C.errno(), name, "size=" + size);
        }
        return new MappedMemory(name, raw, attachment);
    }

    /**
     * The library's own view of the whole mapping (header, holders, mutexes): it stays usable
     * after the handle is marked closed, until {@link #endAccess()}, so that close() can still
     * release the reference.
     *
     * @return the view
     */
    public MemoryView view() {
        return new MemoryView(raw, 0, raw.size(), internal);
    }

    /**
     * A window of the mapping that dies with the handle: the user's payload view.
     *
     * @param base first byte
     * @param length bytes
     * @return the view
     */
    public MemoryView window(int base, int length) {
        return new MemoryView(raw, base, length, this);
    }

    int size() {
        return raw.size();
    }

    /** @return the address of byte 0, for foreign calls */
    public long address() {
        return raw.address();
    }

    @Override
    public RuntimeException closedError() {
        if (resizedTo >= 0 && state.get() >= 0) {
            return attachment.resizedError();
        }
        return new IllegalStateException("IpcArc is closed: name=" + name);
    }

    /**
     * An access to this mapping faulted: the object shrank. Finds its size, marks every mapping
     * of the attachment, and reports it.
     */
    @Override
    public RuntimeException fault(InternalError e) {
        if (attachment == null) {
            return new CorruptSegmentException("segment memory is no longer accessible: name=" + name
                    + " (the object was truncated by another process)", name, e);
        }
        return attachment.faulted(e);
    }

    /** @return whether the user closed the handle of this mapping (not only whether accesses still work) */
    public boolean isClosed() {
        return state.get() < 0;
    }

    /** @return whether the object was found truncated or resized */
    public boolean resized() {
        return resizedTo >= 0;
    }

    /** @return whether the page of the mutexes (the first) vanished with a truncation */
    public boolean mutexPageGone() {
        return resizedTo >= 0 && resizedTo < PAGE_SIZE;
    }

    /**
     * @param offset an offset in the mapping
     * @return whether the page holding it vanished with a truncation (and was replaced here)
     */
    public boolean pageGone(int offset) {
        long found = resizedTo;
        return found >= 0 && (found + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE <= (offset & ~(PAGE_SIZE - 1));
    }

    /**
     * The object is no longer {@link #size()} bytes long. Replaces the pages past its new end with
     * private zero pages (no access through this mapping faults from then on); where the first
     * page went and a thread of this process holds one of its mutexes, writes that mutex's
     * robust-list links into the replacement, so that glibc's later list operations of that
     * thread and the kernel's walk of its list at its exit find a readable node there; then ends
     * every checked access. Idempotent.
     *
     * @param found the object's size now
     */
    public synchronized void markResized(long found) {
        if (resizedTo >= 0) {
            return;
        }
        long keep = Math.min(size(), (Math.max(0, found) + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE);
        if (keep < size()) {
            if (!Binding.CURRENT.replaceWithPrivate(raw, keep, size() - keep)) {
                LOG.log(System.Logger.Level.WARNING, "could not replace the vanished pages of a truncated segment: errno={0}, name={1}",
                        Linux.errnoName(Binding.C.errno()), name);
            } else {
                if (keep == 0 && attachment != null && attachment.firstPageReplaced(this, raw)) {
                    keepForever.set(true); // a thread's robust list may point into the replacement
                }
                if (payloadHolds.get() > 0) {
                    keepForever.set(true); // a held payload lock's node may lie in a replaced page
                }
            }
        }
        resizedTo = found; // volatile: ordered before the load below (a guard stores itself, then loads this)
        Scope g = hold.guard;
        if (g != null) {
            g.end(); // the holder's views of the payload refuse from now on
        }
        end(); // checked accesses (the payload views) now refuse: closedError() reports the damage
    }

    /** Counts a thread that is about to wait for the lock or await a change; refuses after close. */
    public void enter() {
        // One atomic add, no read-compare-retry loop. A closed word (sign bit set) stays negative
        // however many refused callers pass through here before undoing their increment.
        if (state.getAndIncrement() < 0) {
            state.decrementAndGet();
            throw closedError();
        }
    }

    /** Undoes {@link #enter()}. */
    public void exit() {
        state.decrementAndGet();
    }

    /**
     * Marks the handle closed, so no new access starts.
     *
     * @return false if it was already closed
     * @throws IllegalStateException if a thread holds or waits for the lock through it
     */
    public boolean markClosed() {
        while (true) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            long holder = hold.threadId;
            int payloadLocks = payloadHolds.get();
            // A truncated object's handle can always be closed: a guard a fault cut off from its
            // caller (HotSpot delivers some faults late, docs/design.md "Truncation") would otherwise
            // keep it open for the life of the process. The mapping stays until unreachable, and
            // such a guard's own close releases without glibc where the page is gone.
            boolean damaged = resized();
            if (s > 0 || (!damaged && (holder != 0 || payloadLocks > 0))) {
                throw new IllegalStateException("IpcArc is in use: name=" + name + ", threads=" + (s + (holder != 0 ? 1 : 0))
                        + (holder != 0 ? ", lockHolder=" + threadName(holder) : "")
                        + (payloadLocks > 0 ? ", payloadLocksHeld=" + payloadLocks : "")
                        + " (close the guards, and wait for the threads acquiring the lock or awaiting a change, before closing)");
            }
            if (state.compareAndSet(0, CLOSED)) {
                end(); // checked accesses of the payload now refuse
                return true;
            }
        }
    }

    /** @return the name of the live platform thread with that id, else {@code "thread id N"} */
    private static String threadName(long id) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getId() == id) {
                return t.getName();
            }
        }
        return "thread id " + id;
    }

    /**
     * Ends the library's own checked accesses.
     * Call after {@link #markClosed()} and the release of the reference. The pages stay mapped
     * until this object is unreachable.
     */
    public void endAccess() {
        if (attachment != null) {
            attachment.unregister(this);
        }
        if (!internal.alive()) {
            return;
        }
        internal.end();
    }

    /** Unmaps at once; only for a mapping that was never handed out. */
    public void unmapNow() {
        if (attachment != null) {
            attachment.unregister(this);
        }
        state.set(CLOSED);
        end();
        internal.end();
        unmapper.clean();
    }

    private record Unmapper(String name, RawMemory raw, AtomicInteger state, Hold hold, AtomicInteger payloadHolds,
                            AtomicBoolean keepForever) implements Runnable {
        @Override
        public void run() {
            if (keepForever.get()) {
                return; // a thread's robust list points into the replacement page
            }
            if ((state.get() & Integer.MAX_VALUE) > 0 || hold.threadId != 0 || payloadHolds.get() > 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "a guard was dropped without close(); its mapping is kept for the life of the process: name={0}",
                        name);
                return;
            }
            Binding.CURRENT.unmap(raw);
        }
    }
}
