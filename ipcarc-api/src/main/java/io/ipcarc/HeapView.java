package io.ipcarc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link SharedBuffer#wrap(byte[])} and {@link SharedView#wrap(byte[])}: a heap array used like
 * shared memory (native byte order, checked bounds, the same ordered and atomic accessors), for
 * copies of shared bytes and for values built before they are written; with movable windows
 * ({@link SharedWindow}) like the native buffer's. The heap counterpart of the one native buffer
 * of ipcarc-posix.
 */
final class HeapView implements SharedWindow {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final byte[] bytes;
    /** Where the view starts in the array; moved by {@link #moveTo(int)}. */
    private int base;
    private final int length;
    /** The range a window moves in. */
    private final int rangeBase;
    private final int rangeLength;

    HeapView(byte[] bytes) {
        this(bytes, 0, bytes.length, 0, bytes.length);
    }

    private HeapView(byte[] bytes, int base, int length, int rangeBase, int rangeLength) {
        this.bytes = bytes;
        this.base = base;
        this.length = length;
        this.rangeBase = rangeBase;
        this.rangeLength = rangeLength;
    }

    private int at(int offset, int size) {
        return base + Objects.checkFromIndexSize(offset, size, length);
    }

    private int aligned(int offset, int size) {
        int index = at(offset, size);
        if ((index & (size - 1)) != 0) {
            throw new IllegalArgumentException("misaligned atomic access: offset=" + offset + ", size=" + size);
        }
        return index;
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
    public SharedBuffer slice(int offset, int len) {
        int at = at(offset, len);
        return new HeapView(bytes, at, len, at, len);
    }

    @Override
    public SharedWindow window(int len) {
        Objects.checkFromIndexSize(0, len, length);
        return new HeapView(bytes, base, len, base, length);
    }

    @Override
    public SharedWindow moveTo(int offset) {
        Objects.checkFromIndexSize(offset, length, rangeLength);
        base = rangeBase + offset;
        return this;
    }

    @Override
    public int offset() {
        return base - rangeBase;
    }

    // @formatter:off
    @Override public byte getByte(int offset) { return bytes[at(offset, 1)]; }
    @Override public void putByte(int offset, byte value) { bytes[at(offset, 1)] = value; }
    @Override public short getShort(int offset) { return (short) SHORTS.get(bytes, at(offset, 2)); }
    @Override public void putShort(int offset, short value) { SHORTS.set(bytes, at(offset, 2), value); }
    @Override public char getChar(int offset) { return (char) (short) SHORTS.get(bytes, at(offset, 2)); }
    @Override public void putChar(int offset, char value) { SHORTS.set(bytes, at(offset, 2), (short) value); }
    @Override public int getInt(int offset) { return (int) INTS.get(bytes, at(offset, 4)); }
    @Override public void putInt(int offset, int value) { INTS.set(bytes, at(offset, 4), value); }
    @Override public long getLong(int offset) { return (long) LONGS.get(bytes, at(offset, 8)); }
    @Override public void putLong(int offset, long value) { LONGS.set(bytes, at(offset, 8), value); }
    @Override public float getFloat(int offset) { return Float.intBitsToFloat(getInt(offset)); }
    @Override public void putFloat(int offset, float value) { putInt(offset, Float.floatToRawIntBits(value)); }
    @Override public double getDouble(int offset) { return Double.longBitsToDouble(getLong(offset)); }
    @Override public void putDouble(int offset, double value) { putLong(offset, Double.doubleToRawLongBits(value)); }
    // Ordered and atomic accesses: a heap array is not guaranteed to be aligned for them (some JDKs
    // refuse them on byte-array views), so they hold the array's monitor, which orders them as
    // volatile accesses would among the threads that share this array.
    @Override public long getLongAcquire(int offset) { return getLongVolatile(offset); }
    @Override public void putLongRelease(int offset, long value) { putLongVolatile(offset, value); }
    @Override public int getIntAcquire(int offset) { return getIntVolatile(offset); }
    @Override public void putIntRelease(int offset, int value) { putIntVolatile(offset, value); }
    // @formatter:on

    @Override
    public long getLongVolatile(int offset) {
        int at = aligned(offset, 8);
        synchronized (bytes) {
            return (long) LONGS.get(bytes, at);
        }
    }

    @Override
    public void putLongVolatile(int offset, long value) {
        int at = aligned(offset, 8);
        synchronized (bytes) {
            LONGS.set(bytes, at, value);
        }
    }

    @Override
    public int getIntVolatile(int offset) {
        int at = aligned(offset, 4);
        synchronized (bytes) {
            return (int) INTS.get(bytes, at);
        }
    }

    @Override
    public void putIntVolatile(int offset, int value) {
        int at = aligned(offset, 4);
        synchronized (bytes) {
            INTS.set(bytes, at, value);
        }
    }

    @Override
    public boolean compareAndSetLong(int offset, long expected, long update) {
        int at = aligned(offset, 8);
        synchronized (bytes) {
            if ((long) LONGS.get(bytes, at) != expected) {
                return false;
            }
            LONGS.set(bytes, at, update);
            return true;
        }
    }

    @Override
    public long getAndAddLong(int offset, long delta) {
        int at = aligned(offset, 8);
        synchronized (bytes) {
            long v = (long) LONGS.get(bytes, at);
            LONGS.set(bytes, at, v + delta);
            return v;
        }
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int update) {
        int at = aligned(offset, 4);
        synchronized (bytes) {
            if ((int) INTS.get(bytes, at) != expected) {
                return false;
            }
            INTS.set(bytes, at, update);
            return true;
        }
    }

    @Override
    public int getAndAddInt(int offset, int delta) {
        int at = aligned(offset, 4);
        synchronized (bytes) {
            int v = (int) INTS.get(bytes, at);
            INTS.set(bytes, at, v + delta);
            return v;
        }
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        System.arraycopy(bytes, at(offset, len), dst, dstOffset, len);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        System.arraycopy(src, srcOffset, bytes, at(offset, len), len);
    }

    @Override
    public void setMemory(int offset, int len, byte value) {
        int at = at(offset, len);
        Arrays.fill(bytes, at, at + len, value);
    }
}
