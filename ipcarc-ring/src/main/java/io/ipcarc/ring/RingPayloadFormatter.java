package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.SharedView;
import io.ipcarc.spi.PayloadFormatter;

/**
 * Describes a ring payload for inspection tools ({@code ipcarc inspect}) in one line: the
 * capacity, the write pointer, the writer, and each registered reader's state, position, lag
 * (published entries it has not committed past) and losses. Processes are shown by pid, which
 * is for people only: liveness is decided by holder ids, which need the segment itself.
 */
public final class RingPayloadFormatter implements PayloadFormatter {

    /** Found with {@link java.util.ServiceLoader}. */
    public RingPayloadFormatter() {
    }

    @Override
    public String tag() {
        return TYPE_TAG;
    }

    /**
     * Returns for example {@code ring capacity=1024 entry=56B readers=8 write=5230 writer=pid 12 lossless
     * registered=[0: active pid 13 position=5200 lag=30 lost=0]}; {@code write<=N} when the slots that tell
     * the exact value are beyond the view; {@code writer=none (last lossless)} once a writer gave the role up.
     *
     * @param p the payload, or its first bytes
     * @return for example {@code ring capacity=1024 entry=56B readers=8 write=5230 writer=pid 12
     *     lossless registered=[0: active pid 13 position=5200 lag=30 lost=0]}; {@code write<=N}
     *     when the slots that tell the exact value are beyond the view
     */
    @Override
    public String format(SharedView p) {
        RingSummary r = RingSummary.of(p);
        if (r == null) {
            return "ring header not initialised or of another version: magic=0x"
                    + Long.toHexString(p.capacity() >= 8 ? p.getLong(MAGIC_OFFSET) : 0);
        }
        StringBuilder sb = new StringBuilder("ring capacity=").append(r.capacity()).append(" entry=")
                .append(r.entrySize()).append("B readers=").append(r.readerSlots())
                .append(r.write() >= 0 ? " write=" + r.write() : " write<=" + r.writePointer()).append(" writer=");
        if (r.writerPresent()) {
            sb.append("pid ").append(r.writerPid()).append(' ').append(r.writerMode());
        } else if (r.writerMode() != null) {
            sb.append("none (last ").append(r.writerMode()).append(')'); // what decides whether the last close keeps unread entries
        } else {
            sb.append("none");
        }
        sb.append(" registered=[");
        String sep = "";
        for (RingSummary.Reader reader : r.readers()) {
            String state = reader.state() == ReaderState.ACTIVE ? "active pid " + reader.pid()
                    : reader.state() == ReaderState.DETACHED ? "detached" : "state " + reader.stateCode();
            sb.append(sep).append(reader.id()).append(": ").append(state).append(" position=").append(reader.position())
                    .append(r.write() >= 0 ? " lag=" : " lag<=").append(r.lag(reader)).append(" lost=").append(reader.lost());
            sep = ", ";
        }
        sb.append(']');
        if (r.shown() < r.readerSlots()) {
            sb.append(" (readers ").append(r.shown()).append(" to ").append(r.readerSlots() - 1)
                    .append(" not shown: only the payload's first ").append(r.copied()).append(" bytes were read)");
        }
        return sb.toString();
    }

    /**
     * Returns the ring as plain data: {@code structure} ({@code "ring"}), {@code capacity},
     * {@code entrySize}, {@code readerSlots}, {@code writePointer}, {@code write} (the next sequence
     * to publish, {@code null} when the copy does not tell it), {@code writer} ({@code present},
     * {@code pid}, {@code mode}), and {@code readers}: one map per registered reader with {@code id},
     * {@code state}, {@code pid}, {@code position}, {@code lag} ({@code lagExact} false when it is
     * the upper bound from the write pointer) and {@code lost}. What {@code ipcarc inspect --json}
     * and {@code ipcarc top} show of a ring.
     *
     * @param p the payload, or its first bytes
     * @return that map, or the {@link #format} text if the copy holds no ring of this layout
     */
    @Override
    public Object toTree(SharedView p) {
        RingSummary r = RingSummary.of(p);
        return r == null ? format(p) : r.toTree();
    }

    /**
     * The next sequence to be published, as {@link Ring#writePosition()} finds it, if the slots
     * to look at are in the view (the inspector copies only the payload's first bytes).
     *
     * @return the sequence, or -1 if it cannot be told from the view
     */
    static long nextToPublish(SharedView p, long pointer, int capacity, int readers) {
        if (Integer.bitCount(capacity) != 1 || readers < 1 || readers > MAX_READERS) {
            return -1;
        }
        int shift = Integer.numberOfTrailingZeros(capacity);
        int slotSize = p.getInt(SLOT_SIZE_OFFSET);
        for (long s = Math.max(0, pointer - announceAhead(capacity)); s < pointer; s++) {
            long slot = entriesOffset(readers) + (s & (capacity - 1)) * (long) slotSize;
            if (slot + 4 > p.capacity()) {
                return -1;
            }
            if (p.getInt((int) slot + SLOT_STAMP) != stamp(s, shift)) {
                return s;
            }
        }
        return pointer;
    }
}
