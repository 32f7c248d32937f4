package io.ipcarc.ring;

import io.ipcarc.SharedBuffer;

/**
 * The writer's view of the entry being published: exactly the entry's bytes of its slot, so
 * that writing past the entry is an {@link IndexOutOfBoundsException} and never touches another
 * entry or the stamp. One per writer, moved from slot to slot.
 */
final class EntryBuffer extends BoundedView implements SharedBuffer {
    private final SharedBuffer ring;

    EntryBuffer(SharedBuffer ring, int entrySize) {
        super(ring, 0, entrySize);
        this.ring = ring;
    }

    /** Points the view at the body of the slot at {@code slotOffset}. */
    void moveTo(int slotOffset) {
        wrap(ring, slotOffset + RingDescriptor.SLOT_BODY);
    }

    @Override
    public SharedBuffer slice(int offset, int len) {
        return ring.slice(at(offset, len), len);
    }

    @Override
    public void putByte(int offset, byte value) {
        ring.putByte(at(offset, 1), value);
    }

    @Override
    public void putShort(int offset, short value) {
        ring.putShort(at(offset, 2), value);
    }

    @Override
    public void putChar(int offset, char value) {
        ring.putChar(at(offset, 2), value);
    }

    @Override
    public void putInt(int offset, int value) {
        ring.putInt(at(offset, 4), value);
    }

    @Override
    public void putLong(int offset, long value) {
        ring.putLong(at(offset, 8), value);
    }

    @Override
    public void putFloat(int offset, float value) {
        ring.putFloat(at(offset, 4), value);
    }

    @Override
    public void putDouble(int offset, double value) {
        ring.putDouble(at(offset, 8), value);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int len) {
        ring.putBytes(at(offset, len), src, srcOffset, len);
    }

    @Override
    public void setMemory(int offset, int len, byte value) {
        ring.setMemory(at(offset, len), len, value);
    }

    @Override
    public void putLongRelease(int offset, long value) {
        ring.putLongRelease(at(offset, 8), value);
    }

    @Override
    public void putLongVolatile(int offset, long value) {
        ring.putLongVolatile(at(offset, 8), value);
    }

    @Override
    public boolean compareAndSetLong(int offset, long expected, long update) {
        return ring.compareAndSetLong(at(offset, 8), expected, update);
    }

    @Override
    public long getAndAddLong(int offset, long delta) {
        return ring.getAndAddLong(at(offset, 8), delta);
    }

    @Override
    public void putIntRelease(int offset, int value) {
        ring.putIntRelease(at(offset, 4), value);
    }

    @Override
    public void putIntVolatile(int offset, int value) {
        ring.putIntVolatile(at(offset, 4), value);
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int update) {
        return ring.compareAndSetInt(at(offset, 4), expected, update);
    }

    @Override
    public int getAndAddInt(int offset, int delta) {
        return ring.getAndAddInt(at(offset, 4), delta);
    }
}
