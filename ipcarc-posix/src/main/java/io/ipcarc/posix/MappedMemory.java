package io.ipcarc.posix;

import io.ipcarc.IpcArcException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

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
 * punched out of the object, {@link SegmentHandle}), not when this mapping is unmapped.
 */
final class MappedMemory extends Scope {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final int CLOSED = Integer.MIN_VALUE;

    private final String name;
    private final RawMemory raw;
    private final AtomicInteger state;
    private final Cleaner.Cleanable unmapper;
    /** The thread that holds the segment's user mutex through this handle; shared with the unmapper. */
    final Hold hold;

    /** Alive until {@link #endAccess()}; for the library's own header accesses. */
    final Scope internal = new Scope() {
        @Override
        IllegalStateException closedError() {
            return MappedMemory.this.closedError();
        }
    };

    /**
     * Which thread holds the user mutex through one handle: its id ({@link Thread#getId()}), 0 if
     * none (an id, for the reason given at {@link Attachment#lockOwner}). Written only by that
     * thread, right after it locked and right before it unlocks: a plain field, read by
     * {@link #markClosed()} (a close that races with an acquire on another thread may miss it;
     * docs/design.md, Close) and by the unmapper, after the GC found the mapping unreachable.
     */
    static final class Hold {
        long threadId;
    }

    private MappedMemory(String name, RawMemory raw) {
        this.name = name;
        this.raw = raw;
        this.state = new AtomicInteger();
        this.hold = new Hold();
        this.unmapper = CLEANER.register(this, new Unmapper(name, raw, state, hold));
    }

    /**
     * Maps {@code size} bytes of {@code file} shared, readable and writable.
     *
     * @param file an open shared-memory object
     * @param size bytes to map, at most the object's size
     * @return the mapping
     */
    static MappedMemory map(ShmFile file, long size) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IpcArcException("segment size out of range: size=" + size + ", name=" + file.name, file.name);
        }
        RawMemory raw = Binding.CURRENT.map(file.fd, (int) size);
        if (raw == null) {
            throw Errors.syscall("mmap", Binding.C.errno(), file.name, "size=" + size);
        }
        return new MappedMemory(file.name, raw);
    }

    /**
     * The library's own view of the whole mapping (header, holders, mutexes): it stays usable
     * after the handle is marked closed, until {@link #endAccess()}, so that close() can still
     * release the reference.
     *
     * @return the view
     */
    MemoryView view() {
        return new MemoryView(raw, 0, raw.size(), internal);
    }

    /**
     * A window of the mapping that dies with the handle: the user's payload view.
     *
     * @param base first byte
     * @param length bytes
     * @return the view
     */
    MemoryView window(int base, int length) {
        return new MemoryView(raw, base, length, this);
    }

    int size() {
        return raw.size();
    }

    @Override
    IllegalStateException closedError() {
        return new IllegalStateException("IpcArc is closed: name=" + name);
    }

    /** Counts a thread that is about to wait for the lock or await a change; refuses after close. */
    void enter() {
        // One atomic add, no read-compare-retry loop. A closed word (sign bit set) stays negative
        // however many refused callers pass through here before undoing their increment.
        if (state.getAndIncrement() < 0) {
            state.decrementAndGet();
            throw closedError();
        }
    }

    /** Undoes {@link #enter()}. */
    void exit() {
        state.decrementAndGet();
    }

    /**
     * Marks the handle closed, so no new access starts.
     *
     * @return false if it was already closed
     * @throws IllegalStateException if a thread holds or waits for the lock through it
     */
    boolean markClosed() {
        while (true) {
            int s = state.get();
            if (s < 0) {
                return false;
            }
            long holder = hold.threadId;
            if (s > 0 || holder != 0) {
                throw new IllegalStateException("IpcArc is in use: name=" + name + ", threads=" + (s + (holder != 0 ? 1 : 0))
                        + (holder != 0 ? ", lockHolder=" + threadName(holder) : "")
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
     * Ends the library's own checked accesses, and on the FFM binding closes the mapping's arena.
     * Call after {@link #markClosed()} and the release of the reference. The pages stay mapped
     * until this object is unreachable.
     */
    void endAccess() {
        if (!internal.alive()) {
            return;
        }
        internal.end();
        Binding.CURRENT.endJavaAccess(raw);
    }

    /** Unmaps at once; only for a mapping that was never handed out. */
    void unmapNow() {
        state.set(CLOSED);
        end();
        internal.end();
        unmapper.clean();
    }

    private record Unmapper(String name, RawMemory raw, AtomicInteger state, Hold hold) implements Runnable {
        @Override
        public void run() {
            if ((state.get() & Integer.MAX_VALUE) > 0 || hold.threadId != 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "a guard was dropped without close(); its mapping is kept for the life of the process: name={0}",
                        name);
                return;
            }
            Binding.CURRENT.unmap(raw);
        }
    }
}
