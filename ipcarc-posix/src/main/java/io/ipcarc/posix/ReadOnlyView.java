package io.ipcarc.posix;

import io.ipcarc.SharedView;

/** A {@link SharedView} that cannot be cast back to a writable buffer: a guard's {@code view()}. */
final class ReadOnlyView implements SharedView {
    private final MemoryView memory;

    ReadOnlyView(MemoryView memory) {
        this.memory = memory;
    }

    // @formatter:off
    @Override public int capacity() { return memory.capacity(); }
    @Override public boolean isOpen() { return memory.isOpen(); }
    @Override public SharedView slice(int offset, int length) { return new ReadOnlyView(memory.slice(offset, length)); }
    @Override public byte getByte(int offset) { return memory.getByte(offset); }
    @Override public short getShort(int offset) { return memory.getShort(offset); }
    @Override public char getChar(int offset) { return memory.getChar(offset); }
    @Override public int getInt(int offset) { return memory.getInt(offset); }
    @Override public long getLong(int offset) { return memory.getLong(offset); }
    @Override public float getFloat(int offset) { return memory.getFloat(offset); }
    @Override public double getDouble(int offset) { return memory.getDouble(offset); }
    @Override public void getBytes(int offset, byte[] dst, int dstOffset, int length) { memory.getBytes(offset, dst, dstOffset, length); }
    @Override public long getLongAcquire(int offset) { return memory.getLongAcquire(offset); }
    @Override public long getLongVolatile(int offset) { return memory.getLongVolatile(offset); }
    @Override public int getIntAcquire(int offset) { return memory.getIntAcquire(offset); }
    @Override public int getIntVolatile(int offset) { return memory.getIntVolatile(offset); }
    // @formatter:on
}
