package io.ipcarc.posix;

import io.ipcarc.SharedBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A read-only {@link SharedBuffer} over a heap copy of bytes read from a segment, so that an
 * inspection can decode headers and payloads without mapping anything: it cannot crash the JVM
 * and cannot change the segment. Every write throws {@link UnsupportedOperationException}.
 */
final class SnapshotBuffer implements SharedBuffer {
    private final ByteBuffer bb;
    private final int base;
    private final int length;

    SnapshotBuffer(byte[] bytes) {
        this(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
    }

    private SnapshotBuffer(ByteBuffer bb, int base, int length) {
        this.bb = bb;
        this.base = base;
        this.length = length;
    }

    private int at(int offset, int size) {
        return base + Objects.checkFromIndexSize(offset, size, length);
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a snapshot taken by an inspection is read-only");
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
        return new SnapshotBuffer(bb, at(offset, len), len);
    }

    @Override
    public byte getByte(int offset) {
        return bb.get(at(offset, 1));
    }

    @Override
    public short getShort(int offset) {
        return bb.getShort(at(offset, 2));
    }

    @Override
    public char getChar(int offset) {
        return bb.getChar(at(offset, 2));
    }

    @Override
    public int getInt(int offset) {
        return bb.getInt(at(offset, 4));
    }

    @Override
    public long getLong(int offset) {
        return bb.getLong(at(offset, 8));
    }

    @Override
    public float getFloat(int offset) {
        return bb.getFloat(at(offset, 4));
    }

    @Override
    public double getDouble(int offset) {
        return bb.getDouble(at(offset, 8));
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        bb.get(at(offset, len), dst, dstOffset, len);
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
        throw readOnly();
    }

    @Override
    public void putShort(int offset, short value) {
        throw readOnly();
    }

    @Override
    public void putChar(int offset, char value) {
        throw readOnly();
    }

    @Override
    public void putInt(int offset, int value) {
        throw readOnly();
    }

    @Override
    public void putLong(int offset, long value) {
        throw readOnly();
    }

    @Override
    public void putFloat(int offset, float value) {
        throw readOnly();
    }

    @Override
    public void putDouble(int offset, double value) {
        throw readOnly();
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int len) {
        throw readOnly();
    }

    @Override
    public void setMemory(int offset, int len, byte value) {
        throw readOnly();
    }

    @Override
    public void putLongRelease(int offset, long value) {
        throw readOnly();
    }

    @Override
    public void putLongVolatile(int offset, long value) {
        throw readOnly();
    }

    @Override
    public boolean compareAndSetLong(int offset, long expected, long update) {
        throw readOnly();
    }

    @Override
    public long getAndAddLong(int offset, long delta) {
        throw readOnly();
    }

    @Override
    public void putIntRelease(int offset, int value) {
        throw readOnly();
    }

    @Override
    public void putIntVolatile(int offset, int value) {
        throw readOnly();
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int update) {
        throw readOnly();
    }

    @Override
    public int getAndAddInt(int offset, int delta) {
        throw readOnly();
    }

    @Override
    public boolean awaitIntChange(int offset, int expected, long timeoutNanos) {
        throw new UnsupportedOperationException("a snapshot taken by an inspection cannot be waited on");
    }

    @Override
    public int wakeAll(int offset) {
        throw readOnly();
    }
}
