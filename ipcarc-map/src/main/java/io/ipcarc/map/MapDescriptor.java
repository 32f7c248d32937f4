package io.ipcarc.map;

/**
 * Byte layout of a map (layout version 1), the raw payload of an IpcArc segment of type
 * {@code bytes<ipcarc.map/1>[N]}. Offsets are relative to the payload, which starts on a 64-byte
 * boundary; docs/map.md has the same layout as tables, with the ordering of every access and the
 * protocols. Each offset is derived from the one before it, so the diagram and the constants
 * cannot drift apart.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+ line 0: geometry, immutable
 *  |                 magic "IPCMAP.1" (u64)                        |   0
 *  |   layout version (u32)       |   capacity C (u32)             |   8
 *  |   entries E = C + S (u32)    |   stripes S (u32)              |  16
 *  |   index slots T (u32)        |   slots per stripe R (u32)     |  24
 *  |   index bits B (u32)         |   entry size (u32)             |  32
 *  |   key size (u32)             |   value size (u32)             |  40
 *  |   value offset in entry (u32)|   key descriptor length (u32)  |  48
 *  |   value descriptor length    |   hash function (u32) = 1      |  56
 *  +---------------------------------------------------------------+ line 1: identity, immutable
 *  |                 key type fingerprint (u64)                    |  64
 *  |                 value type fingerprint (u64)                  |  72
 *  |                 map id (u64), random, never 0                 |  80
 *  |                 created, ms since the epoch (u64)             |  88
 *  +---------------------------------------------------------------+ line 2: changes
 *  |                 change counter (u64)                          | 128
 *  |   waiters flag (u32)         |   0                            | 136
 *  +---------------------------------------------------------------+ line 3: the entry allocator
 *  |   free list head (u32)       |   bump (u32)                   | 192
 *  |   op (u32)                   |   stripe (u32)                 | 200
 *  |   entry (u32)                |   head before (u32)            | 208
 *  |   bump before (u32)          |   0                            | 216
 *  +---------------------------------------------------------------+ payload locks, from 256
 *  |   S + 1 slots of 64 bytes: stripe i's lock at 256 + 64i, the allocator's at 256 + 64S  |
 *  +---------------------------------------------------------------+ stripes, 128 bytes each
 *  |   reader line: version (u64)                                  | stripe i: 256 + 64(S+1) + 128i
 *  |   writer line: count, spare, pending, op, pos, entry, other,  |   + 64
 *  |                count before, hole, repairs (u32 each)         |
 *  +---------------------------------------------------------------+ index, T words of u32
 *  |   0 empty, 0xFFFFFFFF tombstone, else tag &lt;&lt; B | entry + 1 | from stripes + 128S
 *  +---------------------------------------------------------------+ entries, E of entry size
 *  |   state (u32): gen &lt;&lt; 2 | kind  |   key hash, upper 32 bits  | from index + align64(4T)
 *  |   key (key size, zeros to a multiple of 8), then the value     |
 *  +---------------------------------------------------------------+ descriptors
 *  |   key descriptor (UTF-8), zeros to a multiple of 8, then the value descriptor, likewise |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Index word: a live word names entry {@code (w & (2^B - 1)) - 1} and carries in its upper
 * {@code 32 - B} bits the low bits of the key's 32-bit hash (a tag that spares most key
 * comparisons). A key's home slot is {@code (hash32 * T) >>> 32} (unsigned); probing is linear,
 * wrapping at T. Stripe i owns the index slots {@code [iR, (i+1)R)}; its lock guards them and
 * the writer line; entries belong to whichever index word names them.
 */
public final class MapDescriptor {
    /** The IpcArc type tag of a map payload of this layout. */
    public static final String TYPE_TAG = "ipcarc.map/1";
    /** "IPCMAP.1" read as a little-endian u64. */
    public static final long MAGIC = 0x312E50414D435049L;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Bytes of one cache line. */
    public static final int CACHE_LINE = 64;
    /** The hash function of this layout (docs/map.md, "The key hash"). */
    public static final int HASH_FUNCTION = 1;

    /** Largest capacity, in entries. */
    public static final int MAX_CAPACITY = 1 << 26;
    /** Most stripes a map can have. */
    public static final int MAX_STRIPES = 1024;
    /** Fewest bits of a key's hash kept in an index word. */
    public static final int MIN_TAG_BITS = 4;

    // Line 0: geometry.
    /** u64 magic. */
    public static final int MAGIC_OFFSET = 0;
    /** u32 layout version. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    /** u32 capacity C: most keys the map holds. */
    public static final int CAPACITY_OFFSET = VERSION_OFFSET + 4;
    /** u32 entries E = C + S: one spare per stripe. */
    public static final int ENTRY_COUNT_OFFSET = CAPACITY_OFFSET + 4;
    /** u32 stripes S, a power of two. */
    public static final int STRIPES_OFFSET = ENTRY_COUNT_OFFSET + 4;
    /** u32 index slots T = S * R. */
    public static final int INDEX_SLOTS_OFFSET = STRIPES_OFFSET + 4;
    /** u32 index slots per stripe R. */
    public static final int STRIPE_SLOTS_OFFSET = INDEX_SLOTS_OFFSET + 4;
    /** u32 bits B of an index word that name the entry. */
    public static final int INDEX_BITS_OFFSET = STRIPE_SLOTS_OFFSET + 4;
    /** u32 bytes of one entry, a multiple of 8. */
    public static final int ENTRY_SIZE_OFFSET = INDEX_BITS_OFFSET + 4;
    /** u32 bytes of the key type. */
    public static final int KEY_SIZE_OFFSET = ENTRY_SIZE_OFFSET + 4;
    /** u32 bytes of the value type. */
    public static final int VALUE_SIZE_OFFSET = KEY_SIZE_OFFSET + 4;
    /** u32 offset of the value in an entry: 8 + the key size rounded up to a multiple of 8. */
    public static final int VALUE_OFFSET_OFFSET = VALUE_SIZE_OFFSET + 4;
    /** u32 bytes of the key type's descriptor. */
    public static final int KEY_DESCRIPTOR_LENGTH_OFFSET = VALUE_OFFSET_OFFSET + 4;
    /** u32 bytes of the value type's descriptor. */
    public static final int VALUE_DESCRIPTOR_LENGTH_OFFSET = KEY_DESCRIPTOR_LENGTH_OFFSET + 4;
    /** u32 the hash function, {@link #HASH_FUNCTION}. */
    public static final int HASH_FUNCTION_OFFSET = VALUE_DESCRIPTOR_LENGTH_OFFSET + 4;

    // Line 1: identity.
    /** u64 FNV-1a fingerprint of the key type's descriptor. */
    public static final int KEY_FINGERPRINT_OFFSET = HASH_FUNCTION_OFFSET + 4;
    /** u64 FNV-1a fingerprint of the value type's descriptor. */
    public static final int VALUE_FINGERPRINT_OFFSET = KEY_FINGERPRINT_OFFSET + 8;
    /** u64 identity of this map, random, never 0. */
    public static final int MAP_ID_OFFSET = VALUE_FINGERPRINT_OFFSET + 8;
    /** u64 creation time, ms since the epoch. */
    public static final int CREATED_OFFSET = MAP_ID_OFFSET + 8;

    // Line 2: changes.
    /** u64 change counter: +1 per completed change (atomic add); its low 32 bits are the futex word of awaitChange. */
    public static final int CHANGE_COUNTER_OFFSET = 2 * CACHE_LINE;
    /** u32 1 while a thread of any process sleeps (or is about to) until the counter moves. */
    public static final int CHANGE_WAITERS_OFFSET = CHANGE_COUNTER_OFFSET + 8;

    // Line 3: the entry allocator, guarded by the allocator lock.
    /** u32 first entry of the free list, plus one; 0 when the list is empty. */
    public static final int FREE_HEAD_OFFSET = CHANGE_COUNTER_OFFSET + CACHE_LINE;
    /** u32 entries handed out from the never-used tail so far: entries {@code [bump, E)} were never used. */
    public static final int BUMP_OFFSET = FREE_HEAD_OFFSET + 4;
    /** u32 the allocator's operation in progress, {@link #ALLOC_NONE}, {@link #ALLOC_POP} or {@link #ALLOC_PUSH}. */
    public static final int ALLOC_OP_OFFSET = BUMP_OFFSET + 4;
    /** u32 the stripe it works for. */
    public static final int ALLOC_STRIPE_OFFSET = ALLOC_OP_OFFSET + 4;
    /** u32 the entry it takes or gives back. */
    public static final int ALLOC_ENTRY_OFFSET = ALLOC_STRIPE_OFFSET + 4;
    /** u32 the free list head before the operation. */
    public static final int ALLOC_HEAD_BEFORE_OFFSET = ALLOC_ENTRY_OFFSET + 4;
    /** u32 the bump before the operation. */
    public static final int ALLOC_BUMP_BEFORE_OFFSET = ALLOC_HEAD_BEFORE_OFFSET + 4;
    /** Allocator op: none in progress. */
    public static final int ALLOC_NONE = 0;
    /** Allocator op: taking an entry for a stripe's insert. */
    public static final int ALLOC_POP = 1;
    /** Allocator op: giving an entry back. */
    public static final int ALLOC_PUSH = 2;

    // Payload locks.
    /** The first payload lock slot (stripe 0's lock); the allocator's lock follows the stripes' locks. */
    public static final int LOCKS_OFFSET = FREE_HEAD_OFFSET + CACHE_LINE;
    /** Bytes of a payload lock slot ({@link io.ipcarc.PayloadLock#SLOT_BYTES}). */
    public static final int LOCK_SLOT = 64;
    /** In a payload lock slot: u32 owner pid while held (design.md, "Payload locks"). */
    public static final int LOCK_OWNER_PID = 48;
    /** In a payload lock slot: u32 1 while a dead holder's repair is pending. */
    public static final int LOCK_OWNER_DIED = 52;
    /** In a payload lock slot: u32 the pid of the holder that died. */
    public static final int LOCK_DEAD_OWNER_PID = 56;

    // Stripes.
    /** Bytes of one stripe's lines. */
    public static final int STRIPE_SIZE = 2 * CACHE_LINE;
    /** In a stripe, reader line: u64 version, +1 before each move of an index word (readers re-check it after a miss). */
    public static final int STRIPE_VERSION = 0;
    /** In a stripe, writer line: u32 live index words in the stripe's slots. */
    public static final int STRIPE_COUNT = CACHE_LINE;
    /** In a stripe: u32 the stripe's spare entry, written by the next update of one of its keys. */
    public static final int STRIPE_SPARE = STRIPE_COUNT + 4;
    /** In a stripe: u32 entry + 1 the allocator handed to the stripe's insert in progress, 0 if none (written under the allocator lock). */
    public static final int STRIPE_PENDING = STRIPE_SPARE + 4;
    /** In a stripe: u32 the journal's operation, {@link #OP_NONE}, {@link #OP_INSERT}, {@link #OP_UPDATE} or {@link #OP_REMOVE}. */
    public static final int STRIPE_OP = STRIPE_PENDING + 4;
    /** In a stripe: u32 the index slot the operation changes. */
    public static final int STRIPE_POS = STRIPE_OP + 4;
    /** In a stripe: u32 insert: the new entry; update: the old one; remove: the removed one. */
    public static final int STRIPE_ENTRY = STRIPE_POS + 4;
    /** In a stripe: u32 update: the new entry (the spare). */
    public static final int STRIPE_OTHER = STRIPE_ENTRY + 4;
    /** In a stripe: u32 the count before the operation. */
    public static final int STRIPE_COUNT_BEFORE = STRIPE_OTHER + 4;
    /** In a stripe: u32 remove: the index slot being vacated. */
    public static final int STRIPE_HOLE = STRIPE_COUNT_BEFORE + 4;
    /** In a stripe: u32 repairs of this stripe so far (for people). */
    public static final int STRIPE_REPAIRS = STRIPE_HOLE + 4;
    /** Journal op: none in progress. */
    public static final int OP_NONE = 0;
    /** Journal op: inserting a key. */
    public static final int OP_INSERT = 1;
    /** Journal op: replacing a value (copy on write into the spare). */
    public static final int OP_UPDATE = 2;
    /** Journal op: removing a key (backward shift). */
    public static final int OP_REMOVE = 3;

    // Index words.
    /** Index word of an empty slot: a probe ends here. */
    public static final int EMPTY = 0;
    /** Index word of a slot whose key was removed at a stripe's end: probes continue past it. */
    public static final int TOMBSTONE = 0xFFFFFFFF;

    // Entries.
    /** In an entry: u32 state, {@code gen << 2 | kind}. */
    public static final int ENTRY_STATE = 0;
    /** In an entry: u32 the upper 32 bits of the key's hash. */
    public static final int ENTRY_HASH = ENTRY_STATE + 4;
    /** In an entry: the key; in a free entry, u32 the next free entry + 1 (0 at the list's end). */
    public static final int ENTRY_KEY = ENTRY_HASH + 4;
    /** Entry kind: free (never used, or on the free list). */
    public static final int KIND_FREE = 0;
    /** Entry kind: live, named by an index word (or about to be, or just replaced). */
    public static final int KIND_LIVE = 1;
    /** Entry kind: held by a stripe (its spare, or taken for an insert in progress). */
    public static final int KIND_HELD = 2;
    /** The kind bits of a state. */
    public static final int KIND_MASK = 3;
    /** One generation in a state: every change of kind or content adds it. */
    public static final int GEN_ONE = 4;

    private MapDescriptor() {
    }

    /**
     * Returns where the payload lock of a stripe is.
     *
     * @param stripe a stripe
     * @return the payload offset of its lock slot
     */
    public static int stripeLock(int stripe) {
        return LOCKS_OFFSET + stripe * LOCK_SLOT;
    }

    /**
     * Returns where the allocator's payload lock is: after every stripe's.
     *
     * @param stripes stripes of the map
     * @return the payload offset of its lock slot
     */
    public static int allocatorLock(int stripes) {
        return stripeLock(stripes);
    }

    /**
     * Returns where the stripes' lines start.
     *
     * @param stripes stripes of the map
     * @return the payload offset of stripe 0
     */
    public static int stripesOffset(int stripes) {
        return allocatorLock(stripes) + LOCK_SLOT;
    }

    /**
     * Returns where a stripe's lines are.
     *
     * @param stripes stripes of the map
     * @param stripe a stripe
     * @return the payload offset of its reader line; its writer line follows
     */
    public static int stripe(int stripes, int stripe) {
        return stripesOffset(stripes) + stripe * STRIPE_SIZE;
    }

    /**
     * Returns where the index starts.
     *
     * @param stripes stripes of the map
     * @return the payload offset of index slot 0
     */
    public static int indexOffset(int stripes) {
        return stripesOffset(stripes) + stripes * STRIPE_SIZE;
    }

    /**
     * Returns where the entries start: after the index, on a cache line.
     *
     * @param stripes stripes of the map
     * @param indexSlots index slots T
     * @return the payload offset of entry 0
     * @throws ArithmeticException if it does not fit in an int
     */
    public static int entriesOffset(int stripes, int indexSlots) {
        return Math.addExact(indexOffset(stripes), align(Math.multiplyExact(indexSlots, 4), CACHE_LINE));
    }

    /**
     * Returns where the key type's descriptor is: after the last entry.
     *
     * @param stripes stripes of the map
     * @param indexSlots index slots T
     * @param entries entries E
     * @param entrySize bytes per entry
     * @return the payload offset of the key descriptor; the value descriptor follows it, at a multiple of 8
     * @throws ArithmeticException if it does not fit in an int
     */
    public static int descriptorsOffset(int stripes, int indexSlots, int entries, int entrySize) {
        return Math.addExact(entriesOffset(stripes, indexSlots), Math.multiplyExact(entries, entrySize));
    }

    /**
     * Returns the payload size of a map.
     *
     * @param stripes stripes
     * @param indexSlots index slots T
     * @param entries entries E
     * @param entrySize bytes per entry
     * @param keyDescriptorLength bytes of the key descriptor
     * @param valueDescriptorLength bytes of the value descriptor
     * @return the payload size
     * @throws ArithmeticException if it does not fit in an int
     */
    public static int payloadSize(int stripes, int indexSlots, int entries, int entrySize, int keyDescriptorLength,
                                  int valueDescriptorLength) {
        return Math.addExact(descriptorsOffset(stripes, indexSlots, entries, entrySize),
                align(keyDescriptorLength, 8) + align(valueDescriptorLength, 8));
    }

    /**
     * Returns the offset of the value in an entry.
     *
     * @param keySize bytes of the key type
     * @return 8 for state and hash, plus the key rounded up to a multiple of 8
     */
    public static int valueOffset(int keySize) {
        return ENTRY_KEY + align(keySize, 8);
    }

    /**
     * Returns the bytes of one entry.
     *
     * @param keySize bytes of the key type
     * @param valueSize bytes of the value type
     * @return state, hash, key and value, rounded up to a multiple of 8
     */
    public static int entrySize(int keySize, int valueSize) {
        return align(Math.addExact(valueOffset(keySize), valueSize), 8);
    }

    /**
     * Returns the bits of an index word that name an entry: enough for {@code entries + 1}, so that the
     * all-ones value (a tombstone) names none.
     *
     * @param entries entries E
     * @return B
     */
    public static int indexBits(int entries) {
        return 32 - Integer.numberOfLeadingZeros(entries + 1);
    }

    static int align(int value, int to) {
        return Math.addExact(value, to - 1) & -to;
    }
}
