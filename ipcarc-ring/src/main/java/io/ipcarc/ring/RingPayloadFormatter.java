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
        if (p.capacity() < READERS_OFFSET || p.getLong(MAGIC_OFFSET) != MAGIC || p.getInt(VERSION_OFFSET) != VERSION) {
            return "ring header not initialised or of another version: magic=0x"
                    + Long.toHexString(p.capacity() >= 8 ? p.getLong(MAGIC_OFFSET) : 0);
        }
        int readers = p.getInt(READER_SLOTS_OFFSET);
        int capacity = p.getInt(CAPACITY_OFFSET);
        long pointer = p.getLong(WRITE_POINTER_OFFSET);
        long write = nextToPublish(p, pointer, capacity, readers);
        StringBuilder sb = new StringBuilder("ring capacity=").append(capacity).append(" entry=")
                .append(p.getInt(ENTRY_SIZE_OFFSET)).append("B readers=").append(readers)
                .append(write >= 0 ? " write=" + write : " write<=" + pointer).append(" writer=");
        int word = p.getInt(WRITER_WORD_OFFSET);
        String mode = (word & WRITER_LOSSLESS) != 0 ? "lossless" : "lossy";
        if (p.getLong(WRITER_HOLDER_OFFSET) != 0) {
            sb.append("pid ").append(p.getInt(WRITER_PID_OFFSET)).append(' ').append(mode);
        } else if ((word & -WRITER_CLAIM) != 0) {
            sb.append("none (last ").append(mode).append(')'); // what decides whether the last close keeps unread entries
        } else {
            sb.append("none");
        }
        sb.append(" registered=[");
        String sep = "";
        int shown = Math.min(Math.max(0, Math.min(readers, MAX_READERS)), (p.capacity() - READERS_OFFSET) / READER_SLOT_SIZE);
        for (int i = 0; i < shown; i++) {
            int slot = readerSlot(i);
            int code = p.getInt(slot + READER_STATE);
            if (code == ReaderState.FREE.code()) {
                continue;
            }
            String state = code == ReaderState.ACTIVE.code() ? "active pid " + p.getInt(slot + READER_PID)
                    : code == ReaderState.DETACHED.code() ? "detached" : "state " + code;
            long position = p.getLong(slot + READER_POSITION);
            sb.append(sep).append(i).append(": ").append(state).append(" position=").append(position)
                    .append(write >= 0 ? " lag=" + (write - position) : " lag<=" + (pointer - position))
                    .append(" lost=").append(p.getLong(slot + READER_LOST));
            sep = ", ";
        }
        sb.append(']');
        if (shown < readers) {
            sb.append(" (readers ").append(shown).append(" to ").append(readers - 1).append(" not shown: only the payload's first ")
                    .append(p.capacity()).append(" bytes were read)");
        }
        return sb.toString();
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
