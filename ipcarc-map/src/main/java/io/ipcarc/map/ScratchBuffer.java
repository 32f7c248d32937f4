package io.ipcarc.map;

import io.ipcarc.SharedBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A writable view of a heap array, laid out like shared memory (native byte order), through which
 * a record key is encoded with {@link io.ipcarc.ShmType#write} before it is hashed and compared.
 * Only the owning thread uses it, so ordered and atomic accesses are plain ones.
 */
final class ScratchBuffer implements SharedBuffer {
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ORDER);
    private static final VarHandle CHARS = MethodHandles.byteArrayViewVarHandle(char[].class, ORDER);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ORDER);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ORDER);
    private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ORDER);
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ORDER);

    private final byte[] bytes;
    private final int base;
    private final int length;

    ScratchBuffer(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private ScratchBuffer(byte[] bytes, int base, int length) {
        this.bytes = bytes;
        this.base = base;
        this.length = length;
    }

    private int at(int offset, int size) {
        Objects.checkFromIndexSize(offset, size, length);
        return base + offset;
    }

    @Override
    public int capacity() {
        return length;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public SharedBuffer slice(int offset, int sliceLength) {
        return new ScratchBuffer(bytes, at(offset, sliceLength), sliceLength);
    }

    @Override
    public byte getByte(int offset) {
        return bytes[at(offset, 1)];
    }

    @Override
    public short getShort(int offset) {
        return (short) SHORTS.get(bytes, at(offset, 2));
    }

    @Override
    public char getChar(int offset) {
        return (char) CHARS.get(bytes, at(offset, 2));
    }

    @Override
    public int getInt(int offset) {
        return (int) INTS.get(bytes, at(offset, 4));
    }

    @Override
    public long getLong(int offset) {
        return (long) LONGS.get(bytes, at(offset, 8));
    }

    @Override
    public float getFloat(int offset) {
        return (float) FLOATS.get(bytes, at(offset, 4));
    }

    @Override
    public double getDouble(int offset) {
        return (double) DOUBLES.get(bytes, at(offset, 8));
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int n) {
        System.arraycopy(bytes, at(offset, n), dst, dstOffset, n);
    }

    @Override
    public long getLongAcquire(int offset) {
        return getLong(offset);
    }

    @Override
    public long getLongVolatile(int offset) {
        return getLong(offset);
    }

    @Override
    public int getIntAcquire(int offset) {
        return getInt(offset);
    }

    @Override
    public int getIntVolatile(int offset) {
        return getInt(offset);
    }

    @Override
    public void putByte(int offset, byte value) {
        bytes[at(offset, 1)] = value;
    }

    @Override
    public void putShort(int offset, short value) {
        SHORTS.set(bytes, at(offset, 2), value);
    }

    @Override
    public void putChar(int offset, char value) {
        CHARS.set(bytes, at(offset, 2), value);
    }

    @Override
    public void putInt(int offset, int value) {
        INTS.set(bytes, at(offset, 4), value);
    }

    @Override
    public void putLong(int offset, long value) {
        LONGS.set(bytes, at(offset, 8), value);
    }

    @Override
    public void putFloat(int offset, float value) {
        FLOATS.set(bytes, at(offset, 4), value);
    }

    @Override
    public void putDouble(int offset, double value) {
        DOUBLES.set(bytes, at(offset, 8), value);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int n) {
        System.arraycopy(src, srcOffset, bytes, at(offset, n), n);
    }

    @Override
    public void setMemory(int offset, int n, byte value) {
        int from = at(offset, n);
        java.util.Arrays.fill(bytes, from, from + n, value);
    }

    @Override
    public void putLongRelease(int offset, long value) {
        putLong(offset, value);
    }

    @Override
    public void putLongVolatile(int offset, long value) {
        putLong(offset, value);
    }

    @Override
    public boolean compareAndSetLong(int offset, long expected, long update) {
        if (getLong(offset) != expected) {
            return false;
        }
        putLong(offset, update);
        return true;
    }

    @Override
    public long getAndAddLong(int offset, long delta) {
        long v = getLong(offset);
        putLong(offset, v + delta);
        return v;
    }

    @Override
    public void putIntRelease(int offset, int value) {
        putInt(offset, value);
    }

    @Override
    public void putIntVolatile(int offset, int value) {
        putInt(offset, value);
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int update) {
        if (getInt(offset) != expected) {
            return false;
        }
        putInt(offset, update);
        return true;
    }

    @Override
    public int getAndAddInt(int offset, int delta) {
        int v = getInt(offset);
        putInt(offset, v + delta);
        return v;
    }
}
