package io.ipcarc.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code java.lang.foreign} binding (JDK 22 and later): {@link NativeOps} as downcalls
 * ({@link FfmFunctions}) and memory as {@link MemorySegment}s ({@link FfmMemory}). Nothing of
 * jnr-ffi or jffi is touched, and no {@code sun.misc.Unsafe}.
 *
 * <p>Compiled from {@code src/main/java22} by the JDK 22+ build profile only, into the same
 * classes directory as the rest of the package; {@link Binding} finds it by name. Needs native
 * access ({@code --enable-native-access=ALL-UNNAMED}, or {@code Enable-Native-Access: ALL-UNNAMED}
 * in an executable jar's manifest); without it the JDK prints a warning on first use.
 */
@SuppressWarnings("restricted") // MemorySegment.reinterpret: enabled like the downcalls
final class FfmBinding extends Binding {
    private static final int READ_WRITE = Linux.PROT_READ | Linux.PROT_WRITE;
    /** Scratch memory alignment: enough for any C structure the library passes (timespec, stat, flock). */
    private static final long SCRATCH_ALIGNMENT = 16;

    /** Links the functions; called reflectively by {@link Binding}. */
    public FfmBinding() {
        super(new FfmFunctions());
    }

    @Override
    String name() {
        return "ffm";
    }

    /** Memory of an automatic arena: zero-filled, freed by the GC once the returned object is unreachable. */
    @Override
    RawMemory allocate(int size) {
        return new FfmMemory(Arena.ofAuto().allocate(size, SCRATCH_ALIGNMENT), null);
    }

    @Override
    RawMemory wrap(long address, int size) {
        return new FfmMemory(MemorySegment.ofAddress(address).reinterpret(size), null);
    }

    /** mmap, then the address as a segment of a new shared arena that {@link #endJavaAccess} closes. */
    @Override
    RawMemory map(int fd, int size) {
        long addr = c.mmap(0, size, READ_WRITE, Linux.MAP_SHARED, fd, 0);
        if (addr == Linux.MAP_FAILED) {
            return null;
        }
        Arena arena = Arena.ofShared();
        return new FfmMemory(MemorySegment.ofAddress(addr).reinterpret(size, arena, null), arena);
    }

    /**
     * Closes the mapping's arena: the JDK waits, by a handshake with every thread, until no access
     * through the segment is in flight, and refuses all later ones. The pages stay mapped for what
     * the arena does not guard (foreign calls and {@link FfmAbsolute}'s accesses, which take raw
     * addresses) until {@link #unmap}.
     */
    @Override
    void endJavaAccess(RawMemory memory) {
        ((FfmMemory) memory).close();
    }

    /** Closes the arena if {@link #endJavaAccess} did not, and munmaps the range. */
    @Override
    void unmap(RawMemory memory) {
        FfmMemory m = (FfmMemory) memory;
        m.close();
        c.munmap(m.address(), m.size());
    }
}
