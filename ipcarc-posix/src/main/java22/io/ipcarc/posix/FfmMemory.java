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
 * Raw memory on the FFM binding (JDK 22 and later): a block (a mapping, scratch memory, a wrapped
 * range) reached at absolute addresses through one segment that spans the whole address space
 * ({@link #ALL}, global scope, in a {@code static final} field).
 *
 * <p>Why one segment for everything: the JIT treats {@link #ALL} as a constant, so its bounds,
 * scope and read-only checks fold away and an access costs what the load or store costs; through
 * a segment held in a field (each mapping's own) every access at an offset the JIT cannot see as
 * a constant pays the segment's checks again. And it is the only {@link RawMemory} class of the
 * binding, so that {@link MemoryView}'s calls are monomorphic. {@link MemoryView} checks the
 * bounds and the lifetime; a closed mapping stays mapped until its handle is unreachable
 * ({@link MappedMemory}), so a racing access never faults.
 *
 * <p>Plain accesses use the {@code *_UNALIGNED} layouts (payload fields may sit at any offset;
 * on x86_64 and aarch64 an unaligned load is the same instruction). The ordered and atomic
 * accesses are {@link VarHandle}s of the aligned {@code JAVA_LONG} and {@code JAVA_INT} layouts;
 * {@link MemoryView} has checked the natural alignment already.
 */
@SuppressWarnings("restricted") // MemorySegment.reinterpret: enabled like the downcalls
final class FfmMemory extends RawMemory {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final long address;
    private final int size;
    /** What keeps allocated memory alive (its automatic arena's segment); {@code null} for mappings and wrapped ranges. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object owner;

    FfmMemory(long address, int size, Object owner) {
        this.address = address;
        this.size = size;
        this.owner = owner;
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
