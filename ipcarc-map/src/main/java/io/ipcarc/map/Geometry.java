package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.SharedView;

/**
 * The sizes and offsets of one map, planned from its capacity, stripes and types
 * ({@link #plan}) or read back from a header and checked against that plan ({@link #read}).
 *
 * @param capacity C, most keys
 * @param stripes S, a power of two
 * @param stripeSlots R, index slots per stripe
 * @param keySize bytes of the key type
 * @param valueSize bytes of the value type
 * @param keyDescriptorLength bytes of the key descriptor
 * @param valueDescriptorLength bytes of the value descriptor
 */
record Geometry(int capacity, int stripes, int stripeSlots, int keySize, int valueSize, int keyDescriptorLength,
                int valueDescriptorLength) {
    /** Index slots per key at full capacity: the index is at most three quarters full. */
    static final double INDEX_SLOTS_PER_KEY = 4.0 / 3.0;

    /**
     * The default number of stripes: one per 1024 keys of capacity, a power of two, 1 to 64.
     *
     * @param capacity the map's capacity
     * @return stripes
     */
    static int defaultStripes(int capacity) {
        return Integer.highestOneBit(Math.max(1, Math.min(64, capacity / 1024)));
    }

    /**
     * Plans a map.
     *
     * @throws IllegalArgumentException if it is out of the limits or does not fit in one segment
     */
    static Geometry plan(int capacity, int stripes, int keySize, int valueSize, int keyDescriptorLength,
                         int valueDescriptorLength) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("map capacity out of range: capacity=" + capacity + ", min=1, max=" + MAX_CAPACITY);
        }
        if (stripes < 1 || stripes > MAX_STRIPES || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("map stripes must be a power of two from 1 to " + MAX_STRIPES + ": stripes="
                    + stripes);
        }
        int r = (int) Math.max(8, Math.ceil(capacity * INDEX_SLOTS_PER_KEY / stripes));
        Geometry g = new Geometry(capacity, stripes, r, keySize, valueSize, keyDescriptorLength, valueDescriptorLength);
        try {
            if (g.indexBits() > 32 - MIN_TAG_BITS || (long) stripes * r > Integer.MAX_VALUE / 4) {
                throw new ArithmeticException("index");
            }
            g.payloadSize();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("map too large for one segment: capacity=" + capacity + ", stripes=" + stripes
                    + ", keySize=" + keySize + ", valueSize=" + valueSize, e);
        }
        return g;
    }

    /**
     * Reads a map's geometry from its header and checks every stored figure against the plan.
     *
     * @param h the payload
     * @param name the segment name, for messages
     * @throws CorruptSegmentException if the header is not a map's of this layout or is inconsistent
     */
    static Geometry read(SharedView h, String name) {
        if (h.capacity() < LOCKS_OFFSET || h.getLong(MAGIC_OFFSET) != MAGIC || h.getInt(VERSION_OFFSET) != VERSION) {
            throw new CorruptSegmentException("not a map of layout version " + VERSION + ": name=" + name + ", magic=0x"
                    + Long.toHexString(h.capacity() >= 8 ? h.getLong(MAGIC_OFFSET) : 0), name);
        }
        int capacity = h.getInt(CAPACITY_OFFSET);
        int stripes = h.getInt(STRIPES_OFFSET);
        Geometry planned;
        try {
            planned = plan(capacity, stripes, h.getInt(KEY_SIZE_OFFSET), h.getInt(VALUE_SIZE_OFFSET),
                    h.getInt(KEY_DESCRIPTOR_LENGTH_OFFSET), h.getInt(VALUE_DESCRIPTOR_LENGTH_OFFSET));
        } catch (IllegalArgumentException e) {
            throw inconsistent(h, name, e.getMessage());
        }
        if (planned.keySize() < 1 || planned.valueSize() < 1 || planned.keyDescriptorLength() < 1
                || planned.valueDescriptorLength() < 1 || h.getInt(ENTRY_COUNT_OFFSET) != planned.entries()
                || h.getInt(INDEX_SLOTS_OFFSET) != planned.indexSlots()
                || h.getInt(STRIPE_SLOTS_OFFSET) != planned.stripeSlots()
                || h.getInt(INDEX_BITS_OFFSET) != planned.indexBits() || h.getInt(ENTRY_SIZE_OFFSET) != planned.entrySize()
                || h.getInt(VALUE_OFFSET_OFFSET) != planned.valueOffset() || h.getInt(HASH_FUNCTION_OFFSET) != HASH_FUNCTION
                || planned.payloadSize() != h.capacity()) {
            throw inconsistent(h, name, "stored figures differ from the plan of layout version " + VERSION);
        }
        return planned;
    }

    private static CorruptSegmentException inconsistent(SharedView h, String name, String why) {
        return new CorruptSegmentException("inconsistent map header: name=" + name + ", capacity=" + h.getInt(CAPACITY_OFFSET)
                + ", stripes=" + h.getInt(STRIPES_OFFSET) + ", entries=" + h.getInt(ENTRY_COUNT_OFFSET) + ", indexSlots="
                + h.getInt(INDEX_SLOTS_OFFSET) + ", keySize=" + h.getInt(KEY_SIZE_OFFSET) + ", valueSize="
                + h.getInt(VALUE_SIZE_OFFSET) + ", payload=" + h.capacity() + " (" + why + ")", name);
    }

    /** @return E = C + S */
    int entries() {
        return capacity + stripes;
    }

    /** @return T = S * R */
    int indexSlots() {
        return stripes * stripeSlots;
    }

    /** @return B */
    int indexBits() {
        return MapDescriptor.indexBits(entries());
    }

    /** @return the mask of an index word's entry bits */
    int indexMask() {
        return (int) ((1L << indexBits()) - 1);
    }

    /** @return where the value starts in an entry */
    int valueOffset() {
        return MapDescriptor.valueOffset(keySize);
    }

    /** @return bytes of an entry */
    int entrySize() {
        return MapDescriptor.entrySize(keySize, valueSize);
    }

    /** @return bytes of a key as stored: its size rounded up to a multiple of 8 */
    int keyStride() {
        return align(keySize, 8);
    }

    /** @return the payload offset of index slot 0 */
    int indexOffset() {
        return MapDescriptor.indexOffset(stripes);
    }

    /** @return the payload offset of entry 0 */
    int entriesOffset() {
        return MapDescriptor.entriesOffset(stripes, indexSlots());
    }

    /** @return the payload offset of the key descriptor */
    int descriptorsOffset() {
        return MapDescriptor.descriptorsOffset(stripes, indexSlots(), entries(), entrySize());
    }

    /** @return the payload offset of the value descriptor */
    int valueDescriptorOffset() {
        return descriptorsOffset() + align(keyDescriptorLength, 8);
    }

    /** @return the payload size */
    int payloadSize() {
        return MapDescriptor.payloadSize(stripes, indexSlots(), entries(), entrySize(), keyDescriptorLength,
                valueDescriptorLength);
    }
}
