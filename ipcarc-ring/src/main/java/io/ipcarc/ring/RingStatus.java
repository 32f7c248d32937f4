package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.READER_HOLDER;
import static io.ipcarc.ring.RingDescriptor.READER_LOST;
import static io.ipcarc.ring.RingDescriptor.READER_PID;
import static io.ipcarc.ring.RingDescriptor.READER_POSITION;
import static io.ipcarc.ring.RingDescriptor.READER_STATE;
import static io.ipcarc.ring.RingDescriptor.SLOT_STAMP;
import static io.ipcarc.ring.RingDescriptor.WRITER_HOLDER_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_PID_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITE_POINTER_OFFSET;
import static io.ipcarc.ring.RingDescriptor.announceAhead;
import static io.ipcarc.ring.RingDescriptor.readerSlot;
import static io.ipcarc.ring.RingDescriptor.stamp;

import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import java.lang.invoke.VarHandle;

/**
 * The read-only view of a ring's state that {@link Ring}'s queries answer from: where the writer
 * is, each reader slot's position, state, pid, liveness and losses, the writer role's pid and
 * liveness, and whether unread entries keep the ring after its last close. It only loads words of
 * the payload (docs/ring.md gives each one's ordering) and never takes the segment's lock.
 */
final class RingStatus {
    private final IpcArc<byte[]> arc;
    private final SharedBuffer buf;
    private final int capacity;
    private final int capacityShift;
    private final int readerSlots;
    private final int entriesOffset;
    private final int slotSize;

    RingStatus(IpcArc<byte[]> arc, SharedBuffer buf, int capacity, int readerSlots, int entriesOffset, int slotSize) {
        this.arc = arc;
        this.buf = buf;
        this.capacity = capacity;
        this.capacityShift = Integer.numberOfTrailingZeros(capacity);
        this.readerSlots = readerSlots;
        this.entriesOffset = entriesOffset;
        this.slotSize = slotSize;
    }

    /** See {@link Ring#writePosition()}: the first unpublished sequence of the block below the write pointer. */
    long writePosition() {
        // Acquire: the writer raises the pointer before it writes the entries below it.
        long w = buf.getLongAcquire(WRITE_POINTER_OFFSET);
        for (long s = Math.max(0, w - announceAhead(capacity)); s < w; s++) {
            if (!isPublished(s)) {
                return s;
            }
        }
        return w;
    }

    /**
     * Returns whether the slot of {@code seq} holds that sequence, published (plain load, then an acquire
     * fence).
     *
     * @return whether the slot of {@code seq} holds that sequence, published (plain load, then an acquire fence)
     */
    private boolean isPublished(long seq) {
        int stamp = buf.getInt(entriesOffset + (int) (seq & (capacity - 1)) * slotSize + SLOT_STAMP);
        VarHandle.acquireFence();
        return stamp == stamp(seq, capacityShift);
    }

    /** See {@link Ring#readerPosition(int)}. */
    long readerPosition(int reader) {
        return buf.getLongAcquire(slot(reader) + READER_POSITION);
    }

    /** See {@link Ring#readerState(int)}. */
    ReaderState readerState(int reader) {
        return ReaderState.of(buf.getIntAcquire(slot(reader) + READER_STATE));
    }

    /** See {@link Ring#readerPid(int)}. */
    int readerPid(int reader) {
        return buf.getInt(slot(reader) + READER_PID);
    }

    /** See {@link Ring#readerAlive(int)}. */
    boolean readerAlive(int reader) {
        int slot = slot(reader);
        return buf.getIntAcquire(slot + READER_STATE) == ReaderState.ACTIVE.code()
                && arc.isHolderAlive(buf.getLongAcquire(slot + READER_HOLDER));
    }

    /** See {@link Ring#readerLost(int)}. */
    long readerLost(int reader) {
        return buf.getLongAcquire(slot(reader) + READER_LOST);
    }

    /** See {@link Ring#writerPid()}. */
    int writerPid() {
        return buf.getInt(WRITER_PID_OFFSET);
    }

    /** See {@link Ring#writerAlive()}. */
    boolean writerAlive() {
        long holder = buf.getLongAcquire(WRITER_HOLDER_OFFSET);
        return holder != 0 && arc.isHolderAlive(holder);
    }

    /** See {@link Ring#keepsUnreadEntries()}. */
    boolean keepsUnreadEntries() {
        return RingRetention.hasUnreadEntries(buf);
    }

    /** See {@link Ring#slowestReaderPosition()}. */
    long slowestReaderPosition() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < readerSlots; i++) {
            int slot = readerSlot(i);
            if (buf.getIntAcquire(slot + READER_STATE) != ReaderState.FREE.code()) {
                min = Math.min(min, buf.getLongAcquire(slot + READER_POSITION));
            }
        }
        return min;
    }

    /** The offset of a reader's slot; an id out of range is an {@link IllegalArgumentException}. */
    private int slot(int reader) {
        return readerSlot(RingOptions.checkReader(reader, readerSlots));
    }
}
