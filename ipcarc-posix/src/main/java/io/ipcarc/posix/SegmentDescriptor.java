package io.ipcarc.posix;

/**
 * Byte layout of an IpcArc segment, version 1. Every offset in code comes from here;
 * docs/design.md has the same table.
 *
 * <pre>
 *   0                   8          12         16                  24
 *   +-------------------+----------+----------+-------------------+
 *   | magic "IPCARC.1"  | version  | state    | type fingerprint  |   line 0: immutable
 *   +-------------------+----------+----------+-------------------+   header (state is
 *  24 segment size (u64)| 32 payload off | 36 payload size        |   written by the
 *  40 descriptor off    | 44 descriptor len | 48 holders off      |   creator once and by
 *  52 holder slots      | 56 creator pid    | 60 mode             |   the last closer)
 *  64 creator start time (u64) | 72 created epoch ms (u64) | ...  |   line 1
 *  128 refcount (u64)                                             |   line 2: hot
 *  192 admin mutex (pthread_mutex_t, 40 bytes in a 64-byte slot)  |   line 3
 *  256 user mutex (40 bytes) | 304 owner pid | 308 owner tid      |   line 4: hot
 *  320 seqlock sequence (u64) | 328 change waiters (u32)         |   line 5: hot
 *  384 holder table: HOLDER_SLOTS x 32 bytes                      |   64 lines
 *  4480 type descriptor, UTF-8, DESCRIPTOR_LENGTH bytes           |
 *  PAYLOAD_OFFSET (64-aligned) payload, PAYLOAD_SIZE bytes        |
 *  ... zero padding to a multiple of 4096                         |
 * </pre>
 *
 * All integers are in the platform's native byte order.
 */
final class SegmentDescriptor {
    /** "IPCARC.1" read as a little-endian u64. */
    static final long MAGIC = 0x312E435241435049L;
    /** Layout version this code reads and writes. */
    static final int LAYOUT_VERSION = 1;

    /** u64: {@link #MAGIC}, written with release once the header fields are in place. */
    static final int MAGIC_OFFSET = 0;
    /** u32: {@link #LAYOUT_VERSION}. */
    static final int VERSION_OFFSET = 8;
    /** u32: {@link #STATE_INITIALIZING}, {@link #STATE_READY} or {@link #STATE_UNLINKED}. */
    static final int STATE_OFFSET = 12;
    /** u64: FNV-1a 64 of the descriptor text. */
    static final int FINGERPRINT_OFFSET = 16;
    /** u64: the size of the whole object, a multiple of 4096. */
    static final int SEGMENT_SIZE_OFFSET = 24;
    /** u32: where the payload starts, a multiple of 64. */
    static final int PAYLOAD_OFFSET_OFFSET = 32;
    /** u32: payload size in bytes. */
    static final int PAYLOAD_SIZE_OFFSET = 36;
    /** u32: where the descriptor text starts. */
    static final int DESCRIPTOR_OFFSET_OFFSET = 40;
    /** u32: descriptor length in bytes. */
    static final int DESCRIPTOR_LENGTH_OFFSET = 44;
    /** u32: where the holder table starts. */
    static final int HOLDERS_OFFSET_OFFSET = 48;
    /** u32: number of holder slots. */
    static final int HOLDER_SLOTS_OFFSET = 52;
    /** u32: pid of the creating process. */
    static final int CREATOR_PID_OFFSET = 56;
    /** u32: the file mode the segment was created with. */
    static final int MODE_OFFSET = 60;
    /** u64: start time of the creating process, in clock ticks since boot (/proc/PID/stat field 22). */
    static final int CREATOR_START_OFFSET = 64;
    /** u64: creation time, milliseconds since the epoch. */
    static final int CREATED_MILLIS_OFFSET = 72;

    /** u64: open handles of all processes; changed only under the admin mutex, read lock-free. */
    static final int REFCOUNT_OFFSET = 128;
    /** pthread_mutex_t guarding the refcount, the holder table and the state's READY-to-UNLINKED step. */
    static final int ADMIN_MUTEX_OFFSET = 192;
    /** pthread_mutex_t of the payload: the lock behind {@code acquire()}. */
    static final int USER_MUTEX_OFFSET = 256;
    /** u32: pid of the process holding the user mutex, 0 when free (advisory, for diagnostics). */
    static final int OWNER_PID_OFFSET = 304;
    /** u32: thread id of the holder of the user mutex, 0 when free (advisory). */
    static final int OWNER_TID_OFFSET = 308;
    /** u64: seqlock sequence word, odd while a holder of the user mutex may be writing (see {@link Seqlock}). */
    static final int SEQUENCE_OFFSET = 320;
    /**
     * u32: threads of all processes asleep (or about to sleep) in {@code awaitChange} on the
     * sequence word, the sum of the holders' {@link #HOLDER_WAITERS}; a releasing guard wakes
     * them only when it is not zero (see {@link ChangeSignal}).
     */
    static final int WAITERS_OFFSET = 328;
    /** Space reserved for one pthread_mutex_t (40 bytes on x86_64 glibc, 48 on aarch64). */
    static final int MUTEX_SLOT_SIZE = 48;

    /** First byte of the holder table. */
    static final int HOLDERS_OFFSET = 384;
    /** Number of holder slots: at most this many processes can hold a segment at once. */
    static final int HOLDER_SLOTS = 128;
    /** Bytes per holder slot. */
    static final int HOLDER_SLOT_SIZE = 32;
    /** In a holder slot, u32: pid, 0 for a free slot. */
    static final int HOLDER_PID = 0;
    /** In a holder slot, u64: the holder's start time in clock ticks since boot. */
    static final int HOLDER_START = 8;
    /** In a holder slot, u64: how many handles the process holds. */
    static final int HOLDER_HANDLES = 16;
    /** In a holder slot, u32: how many of the holder's threads count in {@link #WAITERS_OFFSET}. */
    static final int HOLDER_WAITERS = 24;
    /** First byte of the descriptor text. */
    static final int DESCRIPTOR_OFFSET = HOLDERS_OFFSET + HOLDER_SLOTS * HOLDER_SLOT_SIZE;

    /** The state of a new object (ftruncate fills it with zeros). */
    static final int STATE_INITIALIZING = 0;
    /** The creator has finished; loads may take references. */
    static final int STATE_READY = 1;
    /** The last handle was closed and the name unlinked; no new references. */
    static final int STATE_UNLINKED = 2;

    static final int CACHE_LINE = 64;
    static final int PAGE = 4096;

    private SegmentDescriptor() {
    }

    /**
     * @param descriptorLength descriptor bytes
     * @return where the payload starts for that descriptor
     */
    static int payloadOffset(int descriptorLength) {
        return align(DESCRIPTOR_OFFSET + descriptorLength, CACHE_LINE);
    }

    /**
     * @param payloadOffset where the payload starts
     * @param payloadSize payload bytes
     * @return the object size
     */
    static long segmentSize(int payloadOffset, int payloadSize) {
        return alignLong((long) payloadOffset + payloadSize, PAGE);
    }

    /**
     * @param slot holder slot index
     * @return offset of that slot
     */
    static int holderSlotOffset(int slot) {
        return HOLDERS_OFFSET + slot * HOLDER_SLOT_SIZE;
    }

    static int align(int v, int a) {
        return (v + a - 1) & -a;
    }

    static long alignLong(long v, long a) {
        return (v + a - 1) & -a;
    }

    static String stateName(int state) {
        return switch (state) {
            case STATE_INITIALIZING -> "initializing";
            case STATE_READY -> "ready";
            case STATE_UNLINKED -> "unlinked";
            default -> "unknown(" + state + ")";
        };
    }
}
