package io.ipcarc.posix.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code java.lang.foreign} binding (JDK 22 and later): {@link NativeOps} as downcalls
 * ({@link FfmFunctions}) and memory through one {@link MemorySegment} that spans the address space ({@link FfmMemory}). Nothing of
 * jnr-ffi or jffi is touched, and no {@code sun.misc.Unsafe}.
 *
 * <p>Compiled from {@code src/main/java22} by the JDK 22+ build profile only, into the same
 * classes directory as the rest of the package; {@link Binding} finds it by name. Needs native
 * access ({@code --enable-native-access=ALL-UNNAMED}, or {@code Enable-Native-Access: ALL-UNNAMED}
 * in an executable jar's manifest); without it the JDK prints a warning on first use.
 */
final class FfmBinding extends Binding {
    private static final int READ_WRITE = Linux.PROT_READ | Linux.PROT_WRITE;
    /** Scratch memory alignment: enough for any C structure the library passes (timespec, stat, flock). */
    private static final long SCRATCH_ALIGNMENT = 16;

    /** Links the functions; called reflectively by {@link Binding}. */
    public FfmBinding() {
        super(new FfmFunctions());
    }

    @Override
    public String name() {
        return "ffm";
    }

    /** Memory of an automatic arena: zero-filled, freed by the GC once the returned object is unreachable. */
    @Override
    public RawMemory allocate(int size) {
        MemorySegment s = Arena.ofAuto().allocate(size, SCRATCH_ALIGNMENT);
        return new FfmMemory(s.address(), size, s);
    }

    @Override
    public RawMemory wrap(long address, int size) {
        return new FfmMemory(address, size, null);
    }

    @Override
    public RawMemory map(int fd, int size) {
        long addr = c.mmap(0, size, READ_WRITE, Linux.MAP_SHARED, fd, 0);
        return addr == Linux.MAP_FAILED ? null : new FfmMemory(addr, size, null);
    }

    @Override
    public void unmap(RawMemory memory) {
        c.munmap(memory.address(), memory.size());
    }
}
