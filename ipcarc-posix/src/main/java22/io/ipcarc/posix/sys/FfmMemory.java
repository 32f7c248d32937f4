package io.ipcarc.posix.sys;

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
 * binding, so that {@code MemoryView}'s calls are monomorphic. {@code MemoryView} checks the
 * bounds and the lifetime; a closed mapping stays mapped until its handle is unreachable
 * ({@code MappedMemory}), so a racing access never faults.
 *
 * <p>Plain accesses use the {@code *_UNALIGNED} layouts (payload fields may sit at any offset;
 * on x86_64 and aarch64 an unaligned load is the same instruction). The ordered and atomic
 * accesses are {@link VarHandle}s of the aligned {@code JAVA_LONG} and {@code JAVA_INT} layouts;
 * {@code MemoryView} has checked the natural alignment already.
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
    @Override public long address() { return address; }
    @Override public int size() { return size; }
    @Override public byte getByte(int o) { return ALL.get(JAVA_BYTE, address + o); }
    @Override public void putByte(int o, byte v) { ALL.set(JAVA_BYTE, address + o, v); }
    @Override public short getShort(int o) { return ALL.get(JAVA_SHORT_UNALIGNED, address + o); }
    @Override public void putShort(int o, short v) { ALL.set(JAVA_SHORT_UNALIGNED, address + o, v); }
    @Override public int getInt(int o) { return ALL.get(JAVA_INT_UNALIGNED, address + o); }
    @Override public void putInt(int o, int v) { ALL.set(JAVA_INT_UNALIGNED, address + o, v); }
    @Override public long getLong(int o) { return ALL.get(JAVA_LONG_UNALIGNED, address + o); }
    @Override public void putLong(int o, long v) { ALL.set(JAVA_LONG_UNALIGNED, address + o, v); }
    @Override public float getFloat(int o) { return ALL.get(JAVA_FLOAT_UNALIGNED, address + o); }
    @Override public void putFloat(int o, float v) { ALL.set(JAVA_FLOAT_UNALIGNED, address + o, v); }
    @Override public double getDouble(int o) { return ALL.get(JAVA_DOUBLE_UNALIGNED, address + o); }
    @Override public void putDouble(int o, double v) { ALL.set(JAVA_DOUBLE_UNALIGNED, address + o, v); }
    @Override public void getBytes(int o, byte[] d, int dOff, int n) { MemorySegment.copy(ALL, JAVA_BYTE, address + o, d, dOff, n); }
    @Override public void putBytes(int o, byte[] s, int sOff, int n) { MemorySegment.copy(s, sOff, ALL, JAVA_BYTE, address + o, n); }
    @Override public void copy(int from, int to, int length) { MemorySegment.copy(ALL, address + from, ALL, address + to, length); }
    @Override public void fill(int o, int length, byte value) { ALL.asSlice(address + o, length).fill(value); }
    @Override public long getLongAcquire(int o) { return (long) LONG.getAcquire(ALL, address + o); }
    @Override public void putLongRelease(int o, long v) { LONG.setRelease(ALL, address + o, v); }
    @Override public long getLongVolatile(int o) { return (long) LONG.getVolatile(ALL, address + o); }
    @Override public void putLongVolatile(int o, long v) { LONG.setVolatile(ALL, address + o, v); }
    @Override public boolean compareAndSetLong(int o, long e, long u) { return LONG.compareAndSet(ALL, address + o, e, u); }
    @Override public long getAndAddLong(int o, long d) { return (long) LONG.getAndAdd(ALL, address + o, d); }
    @Override public int getIntAcquire(int o) { return (int) INT.getAcquire(ALL, address + o); }
    @Override public void putIntRelease(int o, int v) { INT.setRelease(ALL, address + o, v); }
    @Override public int getIntVolatile(int o) { return (int) INT.getVolatile(ALL, address + o); }
    @Override public void putIntVolatile(int o, int v) { INT.setVolatile(ALL, address + o, v); }
    @Override public boolean compareAndSetInt(int o, int e, int u) { return INT.compareAndSet(ALL, address + o, e, u); }
    @Override public int getAndAddInt(int o, int d) { return (int) INT.getAndAdd(ALL, address + o, d); }
    // @formatter:on
}
