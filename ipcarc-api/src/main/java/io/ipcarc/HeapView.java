package io.ipcarc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@link SharedView#wrap(byte[])}: a heap array read like shared memory (native byte order,
 * checked bounds), for copies of shared bytes that other threads do not write.
 */
final class HeapView implements SharedView {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final byte[] bytes;
    private final int base;
    private final int length;

    HeapView(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private HeapView(byte[] bytes, int base, int length) {
        this.bytes = bytes;
        this.base = base;
        this.length = length;
    }

    private int at(int offset, int size) {
        return base + Objects.checkFromIndexSize(offset, size, length);
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
    public SharedView slice(int offset, int len) {
        return new HeapView(bytes, at(offset, len), len);
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
        return (char) (short) SHORTS.get(bytes, at(offset, 2));
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
        return Float.intBitsToFloat(getInt(offset));
    }

    @Override
    public double getDouble(int offset) {
        return Double.longBitsToDouble(getLong(offset));
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int len) {
        System.arraycopy(bytes, at(offset, len), dst, dstOffset, len);
    }

    @Override
    public long getLongAcquire(int offset) {
        return getLong(offset); // a copy no other thread writes
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
}
