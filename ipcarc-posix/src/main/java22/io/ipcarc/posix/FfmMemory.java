package io.ipcarc.posix;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Raw memory as one {@link MemorySegment} (JDK 22 and later): a mapping in its own shared
 * {@link Arena}, GC-managed scratch memory, or a wrapped range.
 *
 * <p>Plain accesses use the {@code *_UNALIGNED} layouts (payload fields may sit at any offset;
 * on x86_64 and aarch64 an unaligned load is the same instruction). The ordered and atomic
 * accesses are {@link VarHandle}s of the aligned {@code JAVA_LONG} and {@code JAVA_INT} layouts,
 * with the segment and a byte offset as coordinates; {@link MemoryView} has checked the natural
 * alignment already, so the handle's own check never fails.
 *
 * <p>Every access also passes the segment's liveness check: once {@link #close()} has closed a
 * mapping's arena, an access that raced past the library's own closed check throws
 * {@link IllegalStateException} (the JDK's shared-arena close waits, by a handshake with all
 * threads, until no access to the segment is in flight).
 */
final class FfmMemory extends RawMemory {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment segment;
    private final long address;
    private final int size;
    /** The shared arena of a mapping, closed by {@link #close()}; null for memory this object does not own. */
    private final Arena arena;

    FfmMemory(MemorySegment segment, Arena arena) {
        this.segment = segment;
        this.address = segment.address();
        this.size = (int) segment.byteSize();
        this.arena = arena;
    }

    /** The same memory at absolute addresses, for the library's unscoped views ({@link FfmAbsolute}). */
    @Override
    RawMemory unchecked() {
        return new FfmAbsolute(this);
    }

    /**
     * Closes the mapping's arena: from then on the JDK refuses every access to the segment.
     * Idempotent; a no-op for memory without an arena of its own.
     */
    void close() {
        if (arena == null) {
            return;
        }
        synchronized (this) {
            if (segment.scope().isAlive()) {
                arena.close();
            }
        }
    }

    // @formatter:off
    @Override long address() { return address; }
    @Override int size() { return size; }
    @Override byte getByte(int o) { return segment.get(JAVA_BYTE, o); }
    @Override void putByte(int o, byte v) { segment.set(JAVA_BYTE, o, v); }
    @Override short getShort(int o) { return segment.get(JAVA_SHORT_UNALIGNED, o); }
    @Override void putShort(int o, short v) { segment.set(JAVA_SHORT_UNALIGNED, o, v); }
    @Override int getInt(int o) { return segment.get(JAVA_INT_UNALIGNED, o); }
    @Override void putInt(int o, int v) { segment.set(JAVA_INT_UNALIGNED, o, v); }
    @Override long getLong(int o) { return segment.get(JAVA_LONG_UNALIGNED, o); }
    @Override void putLong(int o, long v) { segment.set(JAVA_LONG_UNALIGNED, o, v); }
    @Override float getFloat(int o) { return segment.get(JAVA_FLOAT_UNALIGNED, o); }
    @Override void putFloat(int o, float v) { segment.set(JAVA_FLOAT_UNALIGNED, o, v); }
    @Override double getDouble(int o) { return segment.get(JAVA_DOUBLE_UNALIGNED, o); }
    @Override void putDouble(int o, double v) { segment.set(JAVA_DOUBLE_UNALIGNED, o, v); }
    @Override void getBytes(int o, byte[] dst, int dstOff, int length) { MemorySegment.copy(segment, JAVA_BYTE, o, dst, dstOff, length); }
    @Override void putBytes(int o, byte[] src, int srcOff, int length) { MemorySegment.copy(src, srcOff, segment, JAVA_BYTE, o, length); }
    @Override void copy(int from, int to, int length) { MemorySegment.copy(segment, from, segment, to, length); }
    @Override void fill(int o, int length, byte value) { segment.asSlice(o, length).fill(value); }
    @Override long getLongAcquire(int o) { return (long) LONG.getAcquire(segment, (long) o); }
    @Override void putLongRelease(int o, long v) { LONG.setRelease(segment, (long) o, v); }
    @Override long getLongVolatile(int o) { return (long) LONG.getVolatile(segment, (long) o); }
    @Override void putLongVolatile(int o, long v) { LONG.setVolatile(segment, (long) o, v); }
    @Override boolean compareAndSetLong(int o, long e, long u) { return LONG.compareAndSet(segment, (long) o, e, u); }
    @Override long getAndAddLong(int o, long d) { return (long) LONG.getAndAdd(segment, (long) o, d); }
    @Override int getIntAcquire(int o) { return (int) INT.getAcquire(segment, (long) o); }
    @Override void putIntRelease(int o, int v) { INT.setRelease(segment, (long) o, v); }
    @Override int getIntVolatile(int o) { return (int) INT.getVolatile(segment, (long) o); }
    @Override void putIntVolatile(int o, int v) { INT.setVolatile(segment, (long) o, v); }
    @Override boolean compareAndSetInt(int o, int e, int u) { return INT.compareAndSet(segment, (long) o, e, u); }
    @Override int getAndAddInt(int o, int d) { return (int) INT.getAndAdd(segment, (long) o, d); }
    // @formatter:on
}
