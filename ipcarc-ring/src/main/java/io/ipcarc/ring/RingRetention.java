package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.SharedView;

/**
 * When a ring outlives its last process: the retention condition every {@link Ring} handle sets
 * ({@link io.ipcarc.IpcArc#retainOnLastClose}). A ring whose last writer was lossless keeps the
 * entries its registered (active or detached) readers have not committed past, so its segment is
 * kept at the last close while one of them is behind the next sequence to be published; a lossy
 * ring, or one whose registered readers have read everything, is unlinked as any segment.
 */
final class RingRetention {
    private RingRetention() {
    }

    /**
     * The condition: a pure function of the payload, so that any process's last close decides
     * the same way. Anything that is not a consistent ring of this layout is not kept.
     *
     * @param p the whole payload of a ring segment
     * @return whether the ring has entries a registered reader of a lossless writer has not read
     */
    static boolean hasUnreadEntries(SharedView p) {
        if (p.capacity() < READERS_OFFSET || p.getLong(MAGIC_OFFSET) != MAGIC || p.getInt(VERSION_OFFSET) != VERSION
                || (p.getIntAcquire(WRITER_WORD_OFFSET) & WRITER_LOSSLESS) == 0) {
            return false;
        }
        int capacity = p.getInt(CAPACITY_OFFSET);
        int readers = p.getInt(READER_SLOTS_OFFSET);
        int slotSize = p.getInt(SLOT_SIZE_OFFSET);
        int descriptorLength = p.getInt(ENTRY_DESCRIPTOR_LENGTH_OFFSET);
        if (Integer.bitCount(capacity) != 1 || capacity > MAX_CAPACITY || readers < 1 || readers > MAX_READERS
                || slotSize < SLOT_BODY || descriptorLength < 0 || descriptorLength > p.capacity()
                || (long) entriesOffset(readers) + (long) capacity * slotSize + ((descriptorLength + 7L) & ~7L) != p.capacity()) {
            return false;
        }
        long write = RingPayloadFormatter.nextToPublish(p, p.getLongAcquire(WRITE_POINTER_OFFSET), capacity, readers);
        for (int i = 0; i < readers; i++) {
            int slot = readerSlot(i);
            if (p.getIntAcquire(slot + READER_STATE) != ReaderState.FREE.code()
                    && p.getLongAcquire(slot + READER_POSITION) < write) {
                return true;
            }
        }
        return false;
    }
}
