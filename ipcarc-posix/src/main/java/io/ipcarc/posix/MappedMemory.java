package io.ipcarc.posix;

import io.ipcarc.IpcArcException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One mmap of a segment, owned by exactly one handle, and the only owner of its address.
 *
 * <p>Its state word counts the threads that hold or wait for the segment's lock through this
 * handle, with the sign bit set once the handle is closed: {@link #enter()} refuses after
 * close, and {@link #markClosed()} refuses while the count is not zero. That way the mapping is
 * never retired under a lock a thread of this process holds (the kernel's robust list points
 * into it).
 *
 * <p>Retiring ({@link #retire()}) never leaves the range unmapped while Java code might still
 * touch it (see {@link Binding#retire}); the address range is released by a {@link Cleaner}
 * once nothing can reach this object.
 */
final class MappedMemory extends Scope {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final int CLOSED = Integer.MIN_VALUE;

    private final String name;
    private final RawMemory raw;
    private final AtomicInteger state;
    private final Cleaner.Cleanable unmapper;
    private volatile boolean mapped = true;

    /** Alive until the shared pages are replaced; for the library's own header accesses. */
    final Scope internal = new Scope() {
        @Override
        IllegalStateException closedError() {
            return MappedMemory.this.closedError();
        }
    };

    private MappedMemory(String name, RawMemory raw) {
        this.name = name;
        this.raw = raw;
        this.state = new AtomicInteger();
        this.unmapper = CLEANER.register(this, new Unmapper(name, raw, state));
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
     * after the handle is marked closed, until the shared pages are replaced, so that close() can
     * still release the reference.
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

    /** Counts a thread that is about to wait for or hold the lock, or to await a change; refuses after close. */
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
            if (s > 0) {
                throw new IllegalStateException("IpcArc is in use: name=" + name + ", threads=" + s
                        + " (close the guards, and wait for the threads acquiring the lock or awaiting a change, before closing)");
            }
            if (state.compareAndSet(0, CLOSED)) {
                end(); // checked accesses of the payload now refuse
                return true;
            }
        }
    }

    /** Swaps the shared pages for a private zero placeholder. Call after {@link #markClosed()}. */
    void retire() {
        if (!mapped) {
            return;
        }
        mapped = false;
        internal.end();
        int errno = Binding.CURRENT.retire(raw);
        if (errno != 0) {
            // The shared mapping stays in place: still valid memory, so nothing can crash.
            LOG.log(System.Logger.Level.INFO, "could not replace the mapping of a closed segment: name={0}, errno={1}",
                    name, Linux.errnoName(errno));
        }
    }

    /** Unmaps at once; only for a mapping that was never handed out. */
    void unmapNow() {
        state.set(CLOSED);
        end();
        mapped = false;
        internal.end();
        unmapper.clean();
    }

    private record Unmapper(String name, RawMemory raw, AtomicInteger state) implements Runnable {
        @Override
        public void run() {
            if ((state.get() & Integer.MAX_VALUE) > 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "a guard was dropped without close(); its mapping is kept for the life of the process: name={0}",
                        name);
                return;
            }
            Binding.CURRENT.unmap(raw);
        }
    }
}
