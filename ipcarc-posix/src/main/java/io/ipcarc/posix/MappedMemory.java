package io.ipcarc.posix;

import io.ipcarc.IpcArcException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.Pointer;

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
 * touch it: the shared pages are atomically replaced by a private anonymous mapping
 * (MAP_FIXED), so a thread that raced past the closed check reads zeros instead of crashing the
 * JVM. The placeholder is unmapped by a {@link Cleaner} once nothing can reach this object.
 */
final class MappedMemory implements Scope {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final int CLOSED = Integer.MIN_VALUE;

    private final String name;
    private final long address;
    private final int size;
    private final ByteBuffer buffer;
    private final AtomicInteger state;
    private final Cleaner.Cleanable unmapper;
    private volatile boolean mapped = true;

    /** Alive until the shared pages are replaced; for the library's own header accesses. */
    final Scope internal = new Scope() {
        @Override
        public boolean alive() {
            return mapped;
        }

        @Override
        public IllegalStateException closedError() {
            return MappedMemory.this.closedError();
        }
    };

    private MappedMemory(String name, long address, int size) {
        this.name = name;
        this.address = address;
        this.size = size;
        this.buffer = com.kenai.jffi.MemoryIO.getInstance().newDirectByteBuffer(address, size).order(ByteOrder.nativeOrder());
        this.state = new AtomicInteger();
        this.unmapper = CLEANER.register(this, new Unmapper(name, address, size, state));
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
        long addr = Native.LIBC.mmap(null, size, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_SHARED, file.fd, 0);
        if (addr == Native.MAP_FAILED) {
            throw Errors.syscall("mmap", Native.lastErrno(), file.name, "size=" + size);
        }
        return new MappedMemory(file.name, addr, (int) size);
    }

    ByteBuffer buffer() {
        return buffer;
    }

    long address() {
        return address;
    }

    int size() {
        return size;
    }

    @Override
    public boolean alive() {
        return state.get() >= 0;
    }

    @Override
    public IllegalStateException closedError() {
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
        long r = Native.LIBC.mmap(Pointer.wrap(Native.RUNTIME, address), size, Native.PROT_READ | Native.PROT_WRITE,
                Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_FIXED, -1, 0);
        if (r != address) {
            // The shared mapping stays in place: still valid memory, so nothing can crash.
            LOG.log(System.Logger.Level.INFO, "could not replace the mapping of a closed segment: name={0}, errno={1}",
                    name, Native.errnoName(Native.lastErrno()));
        }
    }

    /** Unmaps at once; only for a mapping that was never handed out. */
    void unmapNow() {
        state.set(CLOSED);
        mapped = false;
        unmapper.clean();
    }

    private record Unmapper(String name, long address, int size, AtomicInteger state) implements Runnable {
        @Override
        public void run() {
            if ((state.get() & Integer.MAX_VALUE) > 0) {
                LOG.log(System.Logger.Level.WARNING,
                        "a guard was dropped without close(); its mapping is kept for the life of the process: name={0}",
                        name);
                return;
            }
            Native.LIBC.munmap(address, size);
        }
    }
}
