package io.ipcarc.posix;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The memory of an {@link FfmMemory} reached at absolute addresses through one segment that spans
 * the whole address space ({@link #ALL}, global scope, in a {@code static final} field). Only for
 * {@link MemoryView#unscoped()} views and {@link MemoryView#headerWords()}: the library's own
 * accesses (read()'s loads, checked before and after; the lock protocol's header words at
 * constant offsets).
 *
 * <p>Why: the JIT treats {@link #ALL} as a constant, so its bounds, scope and read-only checks
 * fold away and an access costs what the load or store costs. Through the mapping's own segment
 * (a field, not a constant) every access with an offset the JIT cannot see as a constant pays
 * the segment's checks again: about 1 to 3 ns each, measured as 41 ns over the twelve header
 * words of one acquire+close on JDK 25 (RatioHarness's step ladder), against 19 ns with jnr-ffi.
 * The accessors mirror {@link FfmMemory}'s one for one and are not shared with it on purpose: a
 * common class would hold the segment in a field, which is exactly what the JIT cannot fold.
 *
 * <p>What it gives up: the mapping's arena does not guard these accesses. They need no guard:
 * {@link MemoryView} bounds-checks every offset against the mapping (header words: constants
 * checked once), and a closed mapping stays mapped ({@link FfmBinding#endJavaAccess} closes only
 * its arena) until the {@link MappedMemory} is unreachable; this object keeps its
 * {@link FfmMemory} reachable, and the handle that holds it holds the mapping.
 */
@SuppressWarnings("restricted") // MemorySegment.reinterpret: enabled like the downcalls
final class FfmAbsolute extends RawMemory {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** The memory this object reaches by address; kept reachable with it. */
    private final FfmMemory memory;
    private final long address;
    private final int size;

    FfmAbsolute(FfmMemory memory) {
        this.memory = memory;
        this.address = memory.address();
        this.size = memory.size();
    }

    @Override
    RawMemory root() {
        return memory;
    }

    // @formatter:off
    @Override long address() { return address; }
    @Override int size() { return size; }
    @Override byte getByte(int o) { return ALL.get(JAVA_BYTE, address + o); }
    @Override void putByte(int o, byte v) { ALL.set(JAVA_BYTE, address + o, v); }
    @Override short getShort(int o) { return ALL.get(JAVA_SHORT_UNALIGNED, address + o); }
    @Override void putShort(int o, short v) { ALL.set(JAVA_SHORT_UNALIGNED, address + o, v); }
    @Override int getInt(int o) { return ALL.get(JAVA_INT_UNALIGNED, address + o); }
    @Override void putInt(int o, int v) { ALL.set(JAVA_INT_UNALIGNED, address + o, v); }
    @Override long getLong(int o) { return ALL.get(JAVA_LONG_UNALIGNED, address + o); }
    @Override void putLong(int o, long v) { ALL.set(JAVA_LONG_UNALIGNED, address + o, v); }
    @Override float getFloat(int o) { return ALL.get(JAVA_FLOAT_UNALIGNED, address + o); }
    @Override void putFloat(int o, float v) { ALL.set(JAVA_FLOAT_UNALIGNED, address + o, v); }
    @Override double getDouble(int o) { return ALL.get(JAVA_DOUBLE_UNALIGNED, address + o); }
    @Override void putDouble(int o, double v) { ALL.set(JAVA_DOUBLE_UNALIGNED, address + o, v); }
    @Override void getBytes(int o, byte[] dst, int dstOff, int n) { MemorySegment.copy(ALL, JAVA_BYTE, address + o, dst, dstOff, n); }
    @Override void putBytes(int o, byte[] src, int srcOff, int n) { MemorySegment.copy(src, srcOff, ALL, JAVA_BYTE, address + o, n); }
    @Override void copy(int from, int to, int length) { MemorySegment.copy(ALL, address + from, ALL, address + to, length); }
    @Override void fill(int o, int length, byte value) { ALL.asSlice(address + o, length).fill(value); }
    @Override long getLongAcquire(int o) { return (long) LONG.getAcquire(ALL, address + o); }
    @Override void putLongRelease(int o, long v) { LONG.setRelease(ALL, address + o, v); }
    @Override long getLongVolatile(int o) { return (long) LONG.getVolatile(ALL, address + o); }
    @Override void putLongVolatile(int o, long v) { LONG.setVolatile(ALL, address + o, v); }
    @Override boolean compareAndSetLong(int o, long e, long u) { return LONG.compareAndSet(ALL, address + o, e, u); }
    @Override long getAndAddLong(int o, long d) { return (long) LONG.getAndAdd(ALL, address + o, d); }
    @Override int getIntAcquire(int o) { return (int) INT.getAcquire(ALL, address + o); }
    @Override void putIntRelease(int o, int v) { INT.setRelease(ALL, address + o, v); }
    @Override int getIntVolatile(int o) { return (int) INT.getVolatile(ALL, address + o); }
    @Override void putIntVolatile(int o, int v) { INT.setVolatile(ALL, address + o, v); }
    @Override boolean compareAndSetInt(int o, int e, int u) { return INT.compareAndSet(ALL, address + o, e, u); }
    @Override int getAndAddInt(int o, int d) { return (int) INT.getAndAdd(ALL, address + o, d); }
    // @formatter:on
}
