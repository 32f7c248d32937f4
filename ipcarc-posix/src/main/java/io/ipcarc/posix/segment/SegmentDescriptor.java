package io.ipcarc.posix.segment;

import io.ipcarc.posix.lock.MutexWords;

import io.ipcarc.posix.sys.Linux;

/**
 * Byte layout of an IpcArc segment, version 2. Every offset in code comes from here, and each
 * is derived from the one before it, so that the layout's invariants (cache lines, alignment)
 * cannot drift; docs/design.md has the same table.
 *
 * <pre>
 *   0                   8          12         16                  24
 *   +-------------------+----------+----------+-------------------+
 *   | magic "IPCARC.1"  | version  | state    | type fingerprint  |   line 0: immutable
 *   +-------------------+----------+----------+-------------------+   header (state is
 *  24 segment size (u64)| 32 payload off | 36 payload size        |   written by the
 *  40 descriptor off    | 44 descriptor len | 48 holders off      |   creator once and by
 *  52 holder slots      | 56 creator pid    | 60 mode             |   the last closer)
 *  64 creator start ticks (u64) | 72 created epoch ms (u64)       |   line 1: immutable
 *  80 payload mode | 84 copy stride | 88 mutex kind | 92 mutex size|
 *  96 mutex library, 32 bytes of ASCII ("glibc 2.36")             |
 *  128 refcount (u64)                                             |   line 2
 *  192 admin mutex (pthread_mutex_t, 40 bytes in a 48-byte slot)  |   line 3
 *  256 user mutex (40 of 48) | 304 owner pid | 308 owner tid      |   line 4: hot
 *      312 owner died | 316 dead owner pid                        |
 *  320 sequence / commit word (u64) | 328 change waiters (u32)    |   line 5: hot
 *  384 holder table: HOLDER_SLOTS x 32 bytes                      |   64 lines
 *  4480 type descriptor, UTF-8, DESCRIPTOR_LENGTH bytes           |
 *  PAYLOAD_OFFSET (64-aligned) payload copy 0, PAYLOAD_SIZE bytes |
 *  PAYLOAD_OFFSET + COPY_STRIDE payload copy 1 (crash-atomic only)|
 *  ... zero padding to a multiple of 4096                         |
 * </pre>
 *
 * All integers are in the platform's native byte order.
 */
public final class SegmentDescriptor {
    /** "IPCARC.1" read as a little-endian u64: the family of the format; {@link #VERSION_OFFSET} tells the layout. */
    public static final long MAGIC = 0x312E435241435049L;
    /** Layout version this code reads and writes. */
    public static final int LAYOUT_VERSION = 2;

    /** Bytes of a cache line: hot shared words sit on lines of their own. */
    public static final int CACHE_LINE = 64;
    /** Bytes of a page: a segment's size is a multiple of it; its first page holds the header and mutexes. */
    public static final int PAGE = Linux.PAGE_SIZE;

    // Line 0: written once by the creator before the magic is published.
    /** u64: {@link #MAGIC}, written with release once the other header fields are in place. */
    public static final int MAGIC_OFFSET = 0;
    /** u32: {@link #LAYOUT_VERSION}. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    /** u32: {@link #STATE_INITIALIZING}, {@link #STATE_READY} or {@link #STATE_UNLINKED}; acquire/release. */
    public static final int STATE_OFFSET = VERSION_OFFSET + 4;
    /** u64: FNV-1a 64 of the descriptor text. */
    public static final int FINGERPRINT_OFFSET = STATE_OFFSET + 4;
    /** u64: the size of the whole object, a multiple of 4096. */
    public static final int SEGMENT_SIZE_OFFSET = FINGERPRINT_OFFSET + 8;
    /** u32: where payload copy 0 starts, a multiple of 64. */
    public static final int PAYLOAD_OFFSET_OFFSET = SEGMENT_SIZE_OFFSET + 8;
    /** u32: payload size in bytes (of one copy). */
    public static final int PAYLOAD_SIZE_OFFSET = PAYLOAD_OFFSET_OFFSET + 4;
    /** u32: where the descriptor text starts. */
    public static final int DESCRIPTOR_OFFSET_OFFSET = PAYLOAD_SIZE_OFFSET + 4;
    /** u32: descriptor length in bytes. */
    public static final int DESCRIPTOR_LENGTH_OFFSET = DESCRIPTOR_OFFSET_OFFSET + 4;
    /** u32: where the holder table starts. */
    public static final int HOLDERS_OFFSET_OFFSET = DESCRIPTOR_LENGTH_OFFSET + 4;
    /** u32: number of holder slots. */
    public static final int HOLDER_SLOTS_OFFSET = HOLDERS_OFFSET_OFFSET + 4;
    /** u32: pid of the creating process (display only). */
    public static final int CREATOR_PID_OFFSET = HOLDER_SLOTS_OFFSET + 4;
    /** u32: the file mode the segment was created with. */
    public static final int MODE_OFFSET = CREATOR_PID_OFFSET + 4;

    // Line 1: also immutable.
    /** u64: start time of the creating process, clock ticks since boot (/proc/PID/stat field 22; display only). */
    public static final int CREATOR_START_OFFSET = MODE_OFFSET + 4;
    /** u64: creation time, milliseconds since the epoch. */
    public static final int CREATED_MILLIS_OFFSET = CREATOR_START_OFFSET + 8;
    /** u32: {@link #MODE_RAW} or {@link #MODE_CRASH_ATOMIC}. */
    public static final int PAYLOAD_MODE_OFFSET = CREATED_MILLIS_OFFSET + 8;
    /** u32: bytes from payload copy 0 to copy 1: align64(payload size) when crash-atomic, 0 when raw. */
    public static final int COPY_STRIDE_OFFSET = PAYLOAD_MODE_OFFSET + 4;
    /** u32: the value the creator's C library stored in both mutexes' kind word ({@link #MUTEX_KIND}) at init. */
    public static final int MUTEX_KIND_OFFSET = COPY_STRIDE_OFFSET + 4;
    /** u32: sizeof(pthread_mutex_t) of the creator's C library. */
    public static final int MUTEX_SIZE_OFFSET = MUTEX_KIND_OFFSET + 4;
    /** 32 bytes of ASCII, NUL-padded: the C library whose mutexes these are, for example {@code glibc 2.36}. */
    public static final int MUTEX_LIBRARY_OFFSET = MUTEX_SIZE_OFFSET + 4;
    /** Bytes reserved for {@link #MUTEX_LIBRARY_OFFSET}. */
    public static final int MUTEX_LIBRARY_BYTES = 32;

    // Line 2.
    /** u64: open handles of all processes; changed only under the admin mutex, read with acquire. */
    public static final int REFCOUNT_OFFSET = 2 * CACHE_LINE;

    // Line 3.
    /** Space reserved for one pthread_mutex_t (40 bytes on x86_64 glibc, 48 on aarch64). */
    public static final int MUTEX_SLOT_SIZE = 48;
    /** pthread_mutex_t guarding the refcount, the holder table and the state's READY-to-UNLINKED step. */
    public static final int ADMIN_MUTEX_OFFSET = REFCOUNT_OFFSET + CACHE_LINE;

    // Line 4: the user mutex and what its holder records beside it.
    /** pthread_mutex_t of the payload: the lock behind {@code acquire()}. */
    public static final int USER_MUTEX_OFFSET = ADMIN_MUTEX_OFFSET + CACHE_LINE;
    /** u32: pid of the process holding the user mutex, 0 when free (advisory, for diagnostics). */
    public static final int OWNER_PID_OFFSET = USER_MUTEX_OFFSET + MUTEX_SLOT_SIZE;
    /** u32: reserved, always 0 (nothing writes it; peers must leave it 0). */
    public static final int OWNER_TID_OFFSET = OWNER_PID_OFFSET + 4;
    /**
     * u32: 1 from the moment anyone recovers the user mutex from a dead holder (EOWNERDEAD) until
     * a guard that reported {@code ownerDied()} closes normally; 0 otherwise. Written under the user mutex.
     */
    public static final int OWNER_DIED_OFFSET = OWNER_TID_OFFSET + 4;
    /** u32: pid of the dead holder that {@link #OWNER_DIED_OFFSET} is about (advisory). */
    public static final int DEAD_OWNER_PID_OFFSET = OWNER_DIED_OFFSET + 4;

    // Line 5: the word lock-free readers and change waiters poll.
    /**
     * u64: the commit word. Raw payloads: the seqlock sequence, odd while a holder of the user
     * mutex writes (see {@link Seqlock}). Crash-atomic payloads: always even, +2 per published
     * guard, and bit 1 names the committed copy (see {@link PayloadCopies}).
     */
    public static final int SEQUENCE_OFFSET = USER_MUTEX_OFFSET + CACHE_LINE;
    /**
     * u32: threads of all processes asleep (or about to sleep) in {@code awaitChange} on the
     * sequence word, the sum of the holders' {@link #HOLDER_WAITERS}; a releasing guard wakes
     * them only when it is not zero (see {@link ChangeSignal}).
     */
    public static final int WAITERS_OFFSET = SEQUENCE_OFFSET + 8;

    // Lines 6 to 69: one slot per holder process.
    /** First byte of the holder table. */
    public static final int HOLDERS_OFFSET = SEQUENCE_OFFSET + CACHE_LINE;
    /** Number of holder slots: at most this many processes can hold a segment at once. */
    public static final int HOLDER_SLOTS = 128;
    /** Bytes per holder slot; the holder keeps an OFD write lock on exactly these bytes of the object. */
    public static final int HOLDER_SLOT_SIZE = 32;
    /** In a holder slot, u32: pid as the holder sees it (display only), 0 for a free slot; written last with release. */
    public static final int HOLDER_PID = 0;
    /** In a holder slot, u32: incremented each time the slot is claimed; with the slot index it is the holder id. */
    public static final int HOLDER_GENERATION = 4;
    /** In a holder slot, u64: the holder's start time in clock ticks since boot (display only). */
    public static final int HOLDER_START = 8;
    /** In a holder slot, u64: how many handles the process holds. */
    public static final int HOLDER_HANDLES = 16;
    /** In a holder slot, u32: how many of the holder's threads count in {@link #WAITERS_OFFSET}. */
    public static final int HOLDER_WAITERS = 24;
    /** First byte of the descriptor text. */
    public static final int DESCRIPTOR_OFFSET = HOLDERS_OFFSET + HOLDER_SLOTS * HOLDER_SLOT_SIZE;

    /** The state of a new object (ftruncate fills it with zeros). */
    public static final int STATE_INITIALIZING = 0;
    /** The creator has finished; loads may take references. */
    public static final int STATE_READY = 1;
    /** The last handle was closed and the name unlinked; no new references. */
    public static final int STATE_UNLINKED = 2;

    /** Payload mode: one copy, written in place under the seqlock. */
    public static final int MODE_RAW = 1;
    /** Payload mode: two copies; guards write the shadow and publish it with one store. */
    public static final int MODE_CRASH_ATOMIC = 2;

    /**
     * A payload lock's slot ({@code io.ipcarc.PayloadLock}, {@link io.ipcarc.PayloadLock#SLOT_BYTES}
     * bytes at a 64-aligned payload offset): the pthread mutex at +0 (up to 48 bytes), then these
     * advisory and recovery words, each written only by the lock's holder.
     */
    public static final int PAYLOAD_LOCK_OWNER_PID = 48;
    /** u32: 1 from the moment anyone recovers the lock from a dead holder until a guard that reported it closes normally. */
    public static final int PAYLOAD_LOCK_OWNER_DIED = PAYLOAD_LOCK_OWNER_PID + 4;
    /** u32: the owner pid found when the death was recorded (advisory). */
    public static final int PAYLOAD_LOCK_DEAD_OWNER_PID = PAYLOAD_LOCK_OWNER_DIED + 4;

    /** glibc's kind word of a robust, process-shared, error-checking mutex: ERRORCHECK 2 | ROBUST 16 | PSHARED 128. */
    public static final int MUTEX_KIND = MutexWords.KIND;
    /** Offset of the kind word inside a glibc pthread_mutex_t (x86_64 and aarch64). */
    public static final int MUTEX_KIND_WORD = MutexWords.KIND_WORD;
    /** sizeof(pthread_mutex_t) of glibc on x86_64 (48 on aarch64). */
    public static final int MUTEX_SIZE = MutexWords.SIZE;

    /** The longest segment: offsets are Java ints, so 2 GiB minus a page. */
    public static final long MAX_SEGMENT_BYTES = Integer.MAX_VALUE - PAGE + 1L;

    private SegmentDescriptor() {
    }

    /**
     * @param descriptorLength descriptor bytes
     * @return where the payload starts for that descriptor
     */
    public static int payloadOffset(int descriptorLength) {
        return align(DESCRIPTOR_OFFSET + descriptorLength, CACHE_LINE);
    }

    /**
     * @param payloadSize bytes of one copy
     * @return the distance between the two copies of a crash-atomic payload
     */
    static long copyStride(long payloadSize) {
        return alignLong(payloadSize, CACHE_LINE);
    }

    /**
     * @param payloadOffset where the payload starts
     * @param payloadSize payload bytes of one copy
     * @param copies 1 (raw) or 2 (crash-atomic)
     * @return the object size, without overflow for any int arguments
     */
    static long segmentSize(int payloadOffset, int payloadSize, int copies) {
        long last = copies == 2 ? copyStride(payloadSize) + payloadSize : payloadSize;
        return alignLong(payloadOffset + last, PAGE);
    }

    /**
     * @param slot holder slot index
     * @return offset of that slot
     */
    public static int holderSlotOffset(int slot) {
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

    static String modeName(int mode) {
        return switch (mode) {
            case MODE_RAW -> "raw";
            case MODE_CRASH_ATOMIC -> "crash-atomic";
            default -> "unknown(" + mode + ")";
        };
    }
}
