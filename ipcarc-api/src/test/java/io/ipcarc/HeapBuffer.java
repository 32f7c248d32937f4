package io.ipcarc;

import java.nio.ByteBuffer;

/** A heap-backed SharedBuffer for tests of the codecs, with only plain accesses. */
final class HeapBuffer implements SharedBuffer {
    private final ByteBuffer bb;

    HeapBuffer(ByteBuffer bb) {
        this.bb = bb;
    }

    @Override public int capacity() { return bb.capacity(); }
    @Override public boolean isOpen() { return true; }
    @Override public SharedBuffer slice(int offset, int length) { return new HeapBuffer(bb.slice(offset, length).order(bb.order())); }
    @Override public byte getByte(int o) { return bb.get(o); }
    @Override public void putByte(int o, byte v) { bb.put(o, v); }
    @Override public short getShort(int o) { return bb.getShort(o); }
    @Override public void putShort(int o, short v) { bb.putShort(o, v); }
    @Override public char getChar(int o) { return bb.getChar(o); }
    @Override public void putChar(int o, char v) { bb.putChar(o, v); }
    @Override public int getInt(int o) { return bb.getInt(o); }
    @Override public void putInt(int o, int v) { bb.putInt(o, v); }
    @Override public long getLong(int o) { return bb.getLong(o); }
    @Override public void putLong(int o, long v) { bb.putLong(o, v); }
    @Override public float getFloat(int o) { return bb.getFloat(o); }
    @Override public void putFloat(int o, float v) { bb.putFloat(o, v); }
    @Override public double getDouble(int o) { return bb.getDouble(o); }
    @Override public void putDouble(int o, double v) { bb.putDouble(o, v); }
    @Override public void getBytes(int o, byte[] d, int off, int len) { bb.get(o, d, off, len); }
    @Override public void putBytes(int o, byte[] s, int off, int len) { bb.put(o, s, off, len); }
    @Override public void setMemory(int o, int len, byte v) { for (int i = 0; i < len; i++) { bb.put(o + i, v); } }
    @Override public long getLongAcquire(int o) { throw new UnsupportedOperationException(); }
    @Override public void putLongRelease(int o, long v) { throw new UnsupportedOperationException(); }
    @Override public long getLongVolatile(int o) { throw new UnsupportedOperationException(); }
    @Override public void putLongVolatile(int o, long v) { throw new UnsupportedOperationException(); }
    @Override public boolean compareAndSetLong(int o, long e, long u) { throw new UnsupportedOperationException(); }
    @Override public long getAndAddLong(int o, long d) { throw new UnsupportedOperationException(); }
    @Override public int getIntAcquire(int o) { throw new UnsupportedOperationException(); }
    @Override public void putIntRelease(int o, int v) { throw new UnsupportedOperationException(); }
    @Override public int getIntVolatile(int o) { throw new UnsupportedOperationException(); }
    @Override public void putIntVolatile(int o, int v) { throw new UnsupportedOperationException(); }
    @Override public boolean compareAndSetInt(int o, int e, int u) { throw new UnsupportedOperationException(); }
    @Override public int getAndAddInt(int o, int d) { throw new UnsupportedOperationException(); }
}
