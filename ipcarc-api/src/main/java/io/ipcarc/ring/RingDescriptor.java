package io.ipcarc.ring;

/**
 * Byte layout of a ring, the payload of an {@code IpcArc<byte[]>} of type
 * {@code bytes<ipcarc.ring/1>[N]}. Offsets are relative to the payload (which starts on a
 * 64-byte boundary); docs/ring.md has the same table.
 *
 * <pre>
 *   0   ring magic "IPCRING1" | 8 version u32 | 12 capacity u32 | 16 entry size u32 | 20 reader slots u32
 *   24  ring id u64 (random, never 0)         | 32 created epoch ms u64                 line 0: immutable
 *   64  write pointer u64: the next sequence to write                                   line 1: hot
 *   128 writer pid u32 | 132 writer flags u32 (bit 0 lossless) | 136 writer start u64   line 2
 *   192 + 64*i, i = 0..7: reader i
 *       +0 read pointer u64 (next sequence it will consume) | +8 state u32 | +12 pid u32
 *       +16 start time u64 | +24 entries lost u64 | +32 blocking u32 | +36 sleeping u32
 *       +40 sleep epoch u32                                                             lines 3..10
 *   704 wake-up futex word u32 | 708 blocking-readers version u32                       line 11
 *   768 entries: capacity x 64 bytes; entry for seq s at 768 + (s mod capacity) * 64
 *       +0 stamp u64 (2s+1 while being written, 2s+2 once published) | +8 seq u64 | +16..63 body
 * </pre>
 */
public final class RingDescriptor {
    /** The IpcArc type tag of a ring payload. */
    public static final String TYPE_TAG = "ipcarc.ring/1";
    /** "IPCRING1" read as a little-endian u64. */
    public static final long MAGIC = 0x31474E4952435049L;
    /** Layout version. */
    public static final int VERSION = 1;

    /** u64 magic. */
    public static final int MAGIC_OFFSET = 0;
    /** u32 layout version. */
    public static final int VERSION_OFFSET = 8;
    /** u32 number of entries, a power of two. */
    public static final int CAPACITY_OFFSET = 12;
    /** u32 bytes per entry, {@link #ENTRY_SIZE}. */
    public static final int ENTRY_SIZE_OFFSET = 16;
    /** u32 number of reader slots, {@link #READER_SLOTS}. */
    public static final int READER_SLOTS_OFFSET = 20;
    /** u64 identity of this ring, chosen at random when the segment is created. */
    public static final int RING_ID_OFFSET = 24;
    /** u64 creation time, ms since the epoch. */
    public static final int CREATED_OFFSET = 32;
    /** u64 next sequence the writer will write; stored with release, read with acquire. */
    public static final int WRITE_POINTER_OFFSET = 64;
    /** u32 pid of the writer that holds the ring, 0 if none. */
    public static final int WRITER_PID_OFFSET = 128;
    /** u32 writer flags: {@link #WRITER_LOSSLESS}. */
    public static final int WRITER_FLAGS_OFFSET = 132;
    /** u64 start time of the writer process (ms since the epoch). */
    public static final int WRITER_START_OFFSET = 136;
    /** Writer flag: the writer waits for the slowest registered reader. */
    public static final int WRITER_LOSSLESS = 1;
    /** First reader slot. */
    public static final int READERS_OFFSET = 192;
    /** Bytes per reader slot: one cache line. */
    public static final int READER_SLOT_SIZE = 64;
    /** Number of reader slots. */
    public static final int READER_SLOTS = 8;
    /** In a reader slot: u64 next sequence the reader will consume; stored with release. */
    public static final int READER_POSITION = 0;
    /** In a reader slot: u32 {@link #READER_FREE}, {@link #READER_ACTIVE} or {@link #READER_DETACHED}. */
    public static final int READER_STATE = 8;
    /** In a reader slot: u32 pid of the process holding it. */
    public static final int READER_PID = 12;
    /** In a reader slot: u64 start time of that process (ms since the epoch). */
    public static final int READER_START = 16;
    /** In a reader slot: u64 entries this reader lost to overruns, in total. */
    public static final int READER_LOST = 24;
    /** Reader slot state: nobody; the writer does not wait for it. */
    public static final int READER_FREE = 0;
    /** Reader slot state: held by a running reader. */
    public static final int READER_ACTIVE = 1;
    /** Reader slot state: its reader stopped cleanly and will resume; a lossless writer waits for it. */
    public static final int READER_DETACHED = 2;
    /** In a reader slot: u32 1 if this reader waits with {@link WaitStrategy#BLOCK}. */
    public static final int READER_BLOCKING = 32;
    /** In a reader slot: u32 1 while this reader sleeps on the wake-up futex. */
    public static final int READER_SLEEPING = 36;
    /** In a reader slot: u32 the wake-up word's value this reader sleeps on. */
    public static final int READER_SLEEP_EPOCH = 40;
    /** u32 futex word: incremented by the writer before it wakes sleeping readers. */
    public static final int WAKEUP_OFFSET = 704;
    /** u32 incremented whenever a reader slot's blocking flag changes, so the writer re-reads them. */
    public static final int BLOCKERS_VERSION_OFFSET = 708;
    /** First entry. */
    public static final int ENTRIES_OFFSET = 768;
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 64;
    /** In an entry: u64 stamp, {@code 2*seq+1} while written, {@code 2*seq+2} when published. */
    public static final int ENTRY_STAMP = 0;
    /** In an entry: u64 sequence. */
    public static final int ENTRY_SEQ = 8;
    /** In an entry: first byte of the 48-byte body. */
    public static final int ENTRY_BODY = 16;
    /** Bytes of body per entry. */
    public static final int BODY_SIZE = ENTRY_SIZE - ENTRY_BODY;

    private RingDescriptor() {
    }

    /**
     * @param capacity entries, a power of two
     * @return the payload size of a ring of that capacity
     */
    public static int payloadSize(int capacity) {
        return Math.addExact(ENTRIES_OFFSET, Math.multiplyExact(capacity, ENTRY_SIZE));
    }

    /**
     * @param reader reader id, 0 to 7
     * @return offset of its slot
     */
    public static int readerSlot(int reader) {
        return READERS_OFFSET + reader * READER_SLOT_SIZE;
    }

    /**
     * @param seq a sequence
     * @param mask capacity - 1
     * @return offset of its entry
     */
    public static int entryOffset(long seq, int mask) {
        return ENTRIES_OFFSET + (int) (seq & mask) * ENTRY_SIZE;
    }

    /** @param seq a sequence @return its stamp once published */
    public static long publishedStamp(long seq) {
        return 2 * seq + 2;
    }

    /** @param seq a sequence @return its stamp while being written */
    public static long writingStamp(long seq) {
        return 2 * seq + 1;
    }
}
