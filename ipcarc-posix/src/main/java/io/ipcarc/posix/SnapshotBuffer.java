package io.ipcarc.posix;

import io.ipcarc.SharedView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A read-only {@link SharedView} over a heap copy of bytes read from a segment, so that an
 * inspection can decode headers and payloads without mapping anything: it cannot crash the JVM
 * and cannot change the segment.
 */
final class SnapshotBuffer implements SharedView {
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

}
