package io.ipcarc.ring;

/**
 * Byte layout of a ring (layout version 3), the payload of an IpcArc segment of type
 * {@code bytes<ipcarc.ring/3>[N]}. Offsets are relative to the payload, which starts on a
 * 64-byte boundary; docs/ring.md has the same layout as tables, with the ordering of every
 * access. Each offset is derived from the one before it, so the diagram and the constants
 * cannot drift apart.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+ line 0: identity, immutable
 *  |                 magic "IPCRING3" (u64)                        |   0
 *  |   layout version (u32)       |        capacity (u32)          |   8
 *  |   slot size (u32)            |        entry size (u32)        |  16
 *  |   reader slots (u32)         | entry descriptor length (u32)  |  24
 *  |                 entry type fingerprint (u64)                  |  32
 *  |                 ring id (u64)                                 |  40
 *  |                 created, ms since the epoch (u64)             |  48
 *  +---------------------------------------------------------------+ line 1: writer, hot
 *  |                 write pointer (u64)                           |  64
 *  +---------------------------------------------------------------+ line 2: writer, cold
 *  |                 writer holder id (u64), 0 if none             | 128
 *  |   writer pid (u32)           |        0                       | 136
 *  |   writer word (u32)          |   registry version seen (u32)  | 144
 *  +---------------------------------------------------------------+ line 3: control
 *  |   registry version (u32)     |   wake-up futex word (u32)     | 192
 *  |   sleepers 0-31 (u32)        |   sleepers 32-63 (u32)         | 200
 *  |   writer waiting (u32)       |   room futex word (u32)        | 208
 *  +---------------------------------------------------------------+ lines 4 .. 4+R-1: reader i
 *  |                 position (u64)                                | 256 + 64i
 *  |                 lost (u64)                                    |  +8
 *  |   state (u32)                |   blocking (u32)               | +16
 *  |                 holder id (u64)                               | +24
 *  |   pid (u32)                  |   registry version at claim    | +32
 *  |   0 ... to the line's end                                     | +40
 *  +---------------------------------------------------------------+ entries, from 256 + 64R
 *  |   stamp (u32)                |        0                       | slot of seq s: entries +
 *  |                 entry body (entry size bytes, then padding    |   (s mod capacity) * slot size
 *  |                 to the slot size, a multiple of 8)            |
 *  +---------------------------------------------------------------+ from 256 + 64R + capacity * slot size
 *  |   the entry type's descriptor (UTF-8), then zeros to a multiple of 8 |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A slot's stamp is 0 until its first entry is published, then the lap of the entry it holds
 * plus one: {@code (s / capacity) + 1} modulo 2^32 for sequence {@code s} (a reader compares the
 * stamps as a signed difference, so the wrap after 2^32 laps is harmless unless a reader is 2^31
 * laps behind). The write pointer is never less than one more than any sequence the writer has
 * started: the writer raises it, in blocks of {@link #announceAhead(int)}, before it writes the
 * first entry of the block. So a reader that copied the entry of sequence {@code s} knows the
 * copy was not being overwritten if the write pointer, loaded after the copy, is at most
 * {@code s + capacity}.
 */
public final class RingDescriptor {
    /** The IpcArc type tag of a ring payload of this layout. */
    public static final String TYPE_TAG = "ipcarc.ring/3";
    /** The tag of layout version 1, refused with a clear message. */
    public static final String TYPE_TAG_V1 = "ipcarc.ring/1";
    /** The tag of layout version 2 (no stored entry descriptor), refused with a clear message. */
    public static final String TYPE_TAG_V2 = "ipcarc.ring/2";
    /** "IPCRING3" read as a little-endian u64. */
    public static final long MAGIC = 0x33474E4952435049L;
    /** Layout version. */
    public static final int VERSION = 3;
    /** Bytes of one cache line: every group of words written by a different party starts on its own. */
    public static final int CACHE_LINE = 64;

    /** Largest capacity, in entries. */
    public static final int MAX_CAPACITY = 1 << 24;
    /** Most reader slots a ring can be created with. */
    public static final int MAX_READERS = 64;

    // Line 0: identity, written once when the segment is created.
    /** u64 magic. */
    public static final int MAGIC_OFFSET = 0;
    /** u32 layout version. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    /** u32 number of entries, a power of two. */
    public static final int CAPACITY_OFFSET = VERSION_OFFSET + 4;
    /** u32 bytes per slot: stamp plus entry, rounded up to a multiple of 8. */
    public static final int SLOT_SIZE_OFFSET = CAPACITY_OFFSET + 4;
    /** u32 bytes of an entry's body (the entry type's size). */
    public static final int ENTRY_SIZE_OFFSET = SLOT_SIZE_OFFSET + 4;
    /** u32 number of reader slots, 1 to {@link #MAX_READERS}. */
    public static final int READER_SLOTS_OFFSET = ENTRY_SIZE_OFFSET + 4;
    /**
     * u32 bytes of the entry type's descriptor (UTF-8, 1 to {@link io.ipcarc.ShmLayout#MAX_DESCRIPTOR_BYTES}),
     * stored after the slots ({@link #descriptorOffset}).
     */
    public static final int ENTRY_DESCRIPTOR_LENGTH_OFFSET = READER_SLOTS_OFFSET + 4;
    /** u64 FNV-1a fingerprint of the entry type's descriptor. */
    public static final int ENTRY_FINGERPRINT_OFFSET = ENTRY_DESCRIPTOR_LENGTH_OFFSET + 4;
    /** u64 identity of this ring, random, never 0. */
    public static final int RING_ID_OFFSET = ENTRY_FINGERPRINT_OFFSET + 8;
    /** u64 creation time, ms since the epoch. */
    public static final int CREATED_OFFSET = RING_ID_OFFSET + 8;

    // Line 1: the writer's hot word.
    /**
     * u64 write pointer: more than every sequence the writer has started; raised (release, then a
     * store-store fence) in blocks of {@link #announceAhead(int)} before the block is written.
     */
    public static final int WRITE_POINTER_OFFSET = CACHE_LINE;

    // Line 2: the writer's cold words, written when the role is claimed or released (under the lock).
    /** u64 holder id ({@link io.ipcarc.IpcArc#holderId()}) of the process holding the writer role, 0 if none. */
    public static final int WRITER_HOLDER_OFFSET = WRITE_POINTER_OFFSET + CACHE_LINE;
    /** u32 pid of that process, for people only. */
    public static final int WRITER_PID_OFFSET = WRITER_HOLDER_OFFSET + 8;
    /**
     * u32 writer word: {@link #WRITER_LOSSLESS} in bit 0, {@link #WRITER_SLEEPS} in bit 1, the
     * number of writer claims so far (modulo 2^30) in bits 2 to 31, so that it changes whenever
     * the role changes hands.
     */
    public static final int WRITER_WORD_OFFSET = WRITER_PID_OFFSET + 8;
    /** u32 the registry version the writer last acted on: it respects every registration up to it. */
    public static final int WRITER_SEEN_OFFSET = WRITER_WORD_OFFSET + 4;
    /** Writer word bit: the writer waits for the slowest registered reader. */
    public static final int WRITER_LOSSLESS = 1;
    /**
     * Writer word bit: the (lossless) writer may sleep in the kernel until a reader commits
     * ({@link WaitStrategy#BLOCK}), so each commit must look for it; without it a commit is one
     * release store.
     */
    public static final int WRITER_SLEEPS = 2;
    /** One writer claim, in the writer word. */
    public static final int WRITER_CLAIM = 4;

    // Line 3: control words, rarely written.
    /** u32 incremented whenever a reader slot is claimed, reserved, released, or starts or stops blocking. */
    public static final int REGISTRY_VERSION_OFFSET = WRITER_HOLDER_OFFSET + CACHE_LINE;
    /** u32 futex word: the writer increments it, then wakes the readers sleeping on it. */
    public static final int WAKEUP_OFFSET = REGISTRY_VERSION_OFFSET + 4;
    /**
     * u32 bit {@code i} set while reader {@code i} (0 to 31) sleeps or is about to; set and
     * cleared by the reader with compare-and-set, cleared by the writer when it wakes the sleepers.
     */
    public static final int SLEEPERS_OFFSET = WAKEUP_OFFSET + 4;
    /** u32 the same for readers 32 to 63 (bit {@code i - 32}). */
    public static final int SLEEPERS_HIGH_OFFSET = SLEEPERS_OFFSET + 4;
    /** u32 1 while a lossless writer sleeps (or is about to) until a reader commits; volatile stores and loads. */
    public static final int WRITER_WAITING_OFFSET = SLEEPERS_HIGH_OFFSET + 4;
    /** u32 futex word the waiting writer sleeps on: a reader that sees it waiting increments it and wakes it. */
    public static final int ROOM_OFFSET = WRITER_WAITING_OFFSET + 4;

    // Reader slots: one cache line each.
    /** First reader slot. */
    public static final int READERS_OFFSET = REGISTRY_VERSION_OFFSET + CACHE_LINE;
    /** Bytes per reader slot. */
    public static final int READER_SLOT_SIZE = CACHE_LINE;
    /** In a reader slot: u64 the next sequence the reader will consume, as last committed. */
    public static final int READER_POSITION = 0;
    /** In a reader slot: u64 entries the reader lost to overruns, in total. */
    public static final int READER_LOST = READER_POSITION + 8;
    /** In a reader slot: u32 a {@link ReaderState} code. */
    public static final int READER_STATE = READER_LOST + 8;
    /** In a reader slot: u32 1 while the reader waits with {@link WaitStrategy#BLOCK}. */
    public static final int READER_BLOCKING = READER_STATE + 4;
    /** In a reader slot: u64 holder id of the process holding it. */
    public static final int READER_HOLDER = READER_BLOCKING + 4;
    /** In a reader slot: u32 pid of that process, for people only. */
    public static final int READER_PID = READER_HOLDER + 8;
    /** In a reader slot: u32 the registry version its claim produced. */
    public static final int READER_CLAIM_VERSION = READER_PID + 4;

    /** In a slot: u32 stamp, the lap of the entry it holds plus one, 0 if none yet. */
    public static final int SLOT_STAMP = 0;
    /** In a slot: the entry's body. */
    public static final int SLOT_BODY = SLOT_STAMP + 8;

    private RingDescriptor() {
    }

    /**
     * Returns offset of the first slot.
     *
     * @param readerSlots reader slots of the ring
     * @return offset of the first slot
     */
    public static int entriesOffset(int readerSlots) {
        return READERS_OFFSET + readerSlots * READER_SLOT_SIZE;
    }

    /**
     * Returns bytes per slot: 8 for the stamp plus the entry, rounded up to a multiple of 8.
     *
     * @param entrySize bytes of an entry
     * @return bytes per slot: 8 for the stamp plus the entry, rounded up to a multiple of 8
     */
    public static int slotSize(int entrySize) {
        return Math.addExact(SLOT_BODY, entrySize + 7) & ~7;
    }

    /**
     * Returns where the entry type's descriptor is stored: right after the last slot.
     *
     * @param capacity entries
     * @param slotSize bytes per slot
     * @param readerSlots reader slots
     * @return the offset of the descriptor
     * @throws ArithmeticException if it does not fit in an int
     */
    public static int descriptorOffset(int capacity, int slotSize, int readerSlots) {
        return Math.addExact(entriesOffset(readerSlots), Math.multiplyExact(capacity, slotSize));
    }

    /**
     * Returns the payload size of such a ring: the slots, then the entry descriptor padded to a multiple of 8.
     *
     * @param capacity entries
     * @param slotSize bytes per slot
     * @param readerSlots reader slots
     * @param descriptorLength bytes of the entry type's descriptor
     * @return the payload size of such a ring
     * @throws ArithmeticException if it does not fit in an int
     */
    public static int payloadSize(int capacity, int slotSize, int readerSlots, int descriptorLength) {
        return Math.addExact(descriptorOffset(capacity, slotSize, readerSlots), (descriptorLength + 7) & ~7);
    }

    /**
     * Returns offset of its slot.
     *
     * @param reader reader id
     * @return offset of its slot
     */
    public static int readerSlot(int reader) {
        return READERS_OFFSET + reader * READER_SLOT_SIZE;
    }

    /**
     * Returns the reader whose slot is at {@code slotOffset}: the inverse of {@link #readerSlot}.
     *
     * @param slotOffset offset of a reader slot
     * @return its reader id
     */
    public static int readerId(int slotOffset) {
        return (slotOffset - READERS_OFFSET) / READER_SLOT_SIZE;
    }

    /**
     * Returns the offset of the sleepers word holding its bit.
     *
     * @param reader a reader id
     * @return the offset of the sleepers word holding its bit
     */
    public static int sleepersWord(int reader) {
        return reader < 32 ? SLEEPERS_OFFSET : SLEEPERS_HIGH_OFFSET;
    }

    /**
     * Returns the stamp of its slot once it is published.
     *
     * @param seq a sequence
     * @param capacityShift log2 of the capacity
     * @return the stamp of its slot once it is published
     */
    public static int stamp(long seq, int capacityShift) {
        return (int) (seq >>> capacityShift) + 1;
    }

    /**
     * Returns how far ahead the writer raises the write pointer at once: up to 64, at most an eighth of the
     * ring, at least 1.
     *
     * @param capacity entries
     * @return how far ahead the writer raises the write pointer at once: up to 64, at most an
     *     eighth of the ring, at least 1
     */
    public static int announceAhead(int capacity) {
        return Math.max(1, Math.min(64, capacity / 8));
    }

}
