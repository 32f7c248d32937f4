package io.ipcarc.posix;

/**
 * Unchecked loads and stores on one block of native memory (a mapping, or scratch memory for call
 * arguments), implemented once per {@link Binding} by exactly one class (so that calls through it
 * are monomorphic). Nothing but {@link MemoryView} calls it, and the library's own words at offsets
 * checked once ({@link MemoryView#headerWords()}): this class trusts its offsets.
 *
 * <p>Plain accesses compile to one machine load or store; the ordered and atomic ones are
 * {@link java.lang.invoke.VarHandle} accesses with the ordering their names say, on naturally
 * aligned offsets.
 */
abstract class RawMemory {
    /** @return the absolute address of byte 0, for foreign calls */
    abstract long address();

    /** @return the block's size in bytes */
    abstract int size();

    abstract byte getByte(int offset);

    abstract void putByte(int offset, byte value);

    abstract short getShort(int offset);

    abstract void putShort(int offset, short value);

    abstract int getInt(int offset);

    abstract void putInt(int offset, int value);

    abstract long getLong(int offset);

    abstract void putLong(int offset, long value);

    abstract float getFloat(int offset);

    abstract void putFloat(int offset, float value);

    abstract double getDouble(int offset);

    abstract void putDouble(int offset, double value);

    abstract void getBytes(int offset, byte[] dst, int dstOffset, int length);

    abstract void putBytes(int offset, byte[] src, int srcOffset, int length);

    /** Copies {@code length} bytes inside the block; the ranges must not overlap. */
    abstract void copy(int from, int to, int length);

    abstract void fill(int offset, int length, byte value);

    abstract long getLongAcquire(int offset);

    abstract void putLongRelease(int offset, long value);

    abstract long getLongVolatile(int offset);

    abstract void putLongVolatile(int offset, long value);

    abstract boolean compareAndSetLong(int offset, long expected, long update);

    abstract long getAndAddLong(int offset, long delta);

    abstract int getIntAcquire(int offset);

    abstract void putIntRelease(int offset, int value);

    abstract int getIntVolatile(int offset);

    abstract void putIntVolatile(int offset, int value);

    abstract boolean compareAndSetInt(int offset, int expected, int update);

    abstract int getAndAddInt(int offset, int delta);
}
