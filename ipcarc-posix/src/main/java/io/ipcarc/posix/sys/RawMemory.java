package io.ipcarc.posix.sys;


/**
 * Unchecked loads and stores on one block of native memory (a mapping, or scratch memory for call
 * arguments), implemented once per {@link Binding} by exactly one class (so that calls through it
 * are monomorphic). Nothing but {@code MemoryView} calls it, and the library's own words at offsets
 * checked once ({@code MemoryView.headerWords()}): this class trusts its offsets.
 *
 * <p>Plain accesses compile to one machine load or store; the ordered and atomic ones are
 * {@link java.lang.invoke.VarHandle} accesses with the ordering their names say, on naturally
 * aligned offsets.
 */
public abstract class RawMemory {
    /** @return the absolute address of byte 0, for foreign calls */
    public abstract long address();

    /** @return the block's size in bytes */
    public abstract int size();

    public abstract byte getByte(int offset);

    public abstract void putByte(int offset, byte value);

    public abstract short getShort(int offset);

    public abstract void putShort(int offset, short value);

    public abstract int getInt(int offset);

    public abstract void putInt(int offset, int value);

    public abstract long getLong(int offset);

    public abstract void putLong(int offset, long value);

    public abstract float getFloat(int offset);

    public abstract void putFloat(int offset, float value);

    public abstract double getDouble(int offset);

    public abstract void putDouble(int offset, double value);

    public abstract void getBytes(int offset, byte[] dst, int dstOffset, int length);

    public abstract void putBytes(int offset, byte[] src, int srcOffset, int length);

    /**
     * Copies {@code length} bytes inside the block; the ranges must not overlap.
     *
     * @param from where to read
     * @param to where to write
     * @param length how many bytes
     */
    public abstract void copy(int from, int to, int length);

    public abstract void fill(int offset, int length, byte value);

    public abstract long getLongAcquire(int offset);

    public abstract void putLongRelease(int offset, long value);

    public abstract long getLongVolatile(int offset);

    public abstract void putLongVolatile(int offset, long value);

    public abstract boolean compareAndSetLong(int offset, long expected, long update);

    public abstract long getAndAddLong(int offset, long delta);

    public abstract int getIntAcquire(int offset);

    public abstract void putIntRelease(int offset, int value);

    public abstract int getIntVolatile(int offset);

    public abstract void putIntVolatile(int offset, int value);

    public abstract boolean compareAndSetInt(int offset, int expected, int update);

    public abstract int getAndAddInt(int offset, int delta);
}
