package io.ipcarc.ring;

import io.ipcarc.SharedView;
import java.util.Objects;

/**
 * A read-only window {@code [base, base + length)} of another view, moved from entry to entry
 * without allocating (a flyweight). Every access is checked against the window, then made
 * through the source, which checks again against its own bounds and lifetime.
 */
abstract class BoundedView implements SharedView {
    private final int length;
    private SharedView source;
    private int base;

    BoundedView(SharedView source, int base, int length) {
        this.source = source;
        this.base = base;
        this.length = length;
    }

    /** Points the window at {@code [base, base + length)} of {@code newSource}. */
    final void wrap(SharedView newSource, int newBase) {
        this.source = newSource;
        this.base = newBase;
    }

    /**
     * Returns the offset in the source of {@code offset}, after checking that {@code size} bytes fit.
     *
     * @return the offset in the source of {@code offset}, after checking that {@code size} bytes fit
     */
    final int at(int offset, int size) {
        return base + Objects.checkFromIndexSize(offset, size, length);
    }

    final SharedView source() {
        return source;
    }

    @Override
    public final int capacity() {
        return length;
    }

    @Override
    public final boolean isOpen() {
        return source.isOpen();
    }

    @Override
    public SharedView slice(int offset, int len) {
        return source.slice(at(offset, len), len);
    }

    @Override
    public final byte getByte(int offset) {
        return source.getByte(at(offset, 1));
    }

    @Override
    public final short getShort(int offset) {
        return source.getShort(at(offset, 2));
    }

    @Override
    public final char getChar(int offset) {
        return source.getChar(at(offset, 2));
    }

    @Override
    public final int getInt(int offset) {
        return source.getInt(at(offset, 4));
    }

    @Override
    public final long getLong(int offset) {
        return source.getLong(at(offset, 8));
    }

    @Override
    public final float getFloat(int offset) {
        return source.getFloat(at(offset, 4));
    }

    @Override
    public final double getDouble(int offset) {
        return source.getDouble(at(offset, 8));
    }

    @Override
    public final void getBytes(int offset, byte[] dst, int dstOffset, int len) {
        source.getBytes(at(offset, len), dst, dstOffset, len);
    }

    @Override
    public final long getLongAcquire(int offset) {
        return source.getLongAcquire(at(offset, 8));
    }

    @Override
    public final long getLongVolatile(int offset) {
        return source.getLongVolatile(at(offset, 8));
    }

    @Override
    public final int getIntAcquire(int offset) {
        return source.getIntAcquire(at(offset, 4));
    }

    @Override
    public final int getIntVolatile(int offset) {
        return source.getIntVolatile(at(offset, 4));
    }
}
