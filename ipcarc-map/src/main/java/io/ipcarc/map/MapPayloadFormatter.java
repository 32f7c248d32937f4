package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.SharedView;
import io.ipcarc.spi.PayloadFormatter;

/**
 * Describes a map payload for inspection tools in one line, from whatever prefix of it they
 * read (the inspector of {@code ipcarc-posix} reads a raw payload's first 4096 bytes): its
 * geometry and, as far as the prefix reaches, its stripes' keys. {@code ipcarc inspect} adds the
 * whole map, read by {@link MapInspector}.
 */
public final class MapPayloadFormatter implements PayloadFormatter {

    /** Found with {@link java.util.ServiceLoader}. */
    public MapPayloadFormatter() {
    }

    @Override
    public String tag() {
        return TYPE_TAG;
    }

    /**
     * Describes the payload.
     *
     * @param p the payload, or its first bytes
     * @return for example {@code map capacity=1000 stripes=4 entries=1004 indexSlots=1336 keySize=8
     *     valueSize=16 size=3}; {@code size>=N (stripes 2 to 3 beyond the bytes read)} when the
     *     stripes' counts are not all in the prefix
     */
    @Override
    public String format(SharedView p) {
        if (p.capacity() < LOCKS_OFFSET || p.getLong(MAGIC_OFFSET) != MAGIC || p.getInt(VERSION_OFFSET) != VERSION) {
            return "map header not initialised or of another version: magic=0x"
                    + Long.toHexString(p.capacity() >= 8 ? p.getLong(MAGIC_OFFSET) : 0);
        }
        int stripes = p.getInt(STRIPES_OFFSET);
        StringBuilder sb = new StringBuilder("map capacity=").append(p.getInt(CAPACITY_OFFSET)).append(" stripes=").append(stripes)
                .append(" entries=").append(p.getInt(ENTRY_COUNT_OFFSET)).append(" indexSlots=")
                .append(p.getInt(INDEX_SLOTS_OFFSET)).append(" keySize=").append(p.getInt(KEY_SIZE_OFFSET))
                .append(" valueSize=").append(p.getInt(VALUE_SIZE_OFFSET)).append(" version=")
                .append(p.getLong(CHANGE_COUNTER_OFFSET));
        if (stripes < 1 || stripes > MAX_STRIPES) {
            return sb.append(" (stripes out of range)").toString();
        }
        long size = 0;
        int counted = 0;
        for (; counted < stripes; counted++) {
            int at = stripe(stripes, counted) + STRIPE_COUNT;
            if (at + 4 > p.capacity()) {
                break;
            }
            size += p.getInt(at) & 0xFFFFFFFFL;
        }
        sb.append(counted == stripes ? " size=" + size : " size>=" + size + " (stripes " + counted + " to " + (stripes - 1)
                + " beyond the " + p.capacity() + " bytes read)");
        return sb.toString();
    }
}
