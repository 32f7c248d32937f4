package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.BLOCKERS_VERSION_OFFSET;
import static io.ipcarc.ring.RingDescriptor.ENTRY_SIZE;
import static io.ipcarc.ring.RingDescriptor.ENTRY_STAMP;
import static io.ipcarc.ring.RingDescriptor.READER_BLOCKING;
import static io.ipcarc.ring.RingDescriptor.READER_LOST;
import static io.ipcarc.ring.RingDescriptor.READER_POSITION;
import static io.ipcarc.ring.RingDescriptor.READER_SLEEPING;
import static io.ipcarc.ring.RingDescriptor.READER_SLEEP_EPOCH;
import static io.ipcarc.ring.RingDescriptor.WAKEUP_OFFSET;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.SharedBuffer;
import java.lang.invoke.VarHandle;

/**
 * One of up to eight readers of a {@link Ring}, with its position stored in shared memory.
 *
 * <p>Consume protocol for sequence {@code s} (docs/ring.md): once the write pointer (acquire) is
 * past {@code s}, read the slot's stamp with acquire; if it is {@code 2s+2}, copy the 64 bytes,
 * issue a load-load fence and read the stamp again: the copy is good only if it is still
 * {@code 2s+2} and the copied seq is {@code s}. A larger stamp means the writer lapped this
 * reader: the lost range is reported and reading goes on from the oldest entry still there.
 * The position is stored (release) only by {@link #commit()}, after the caller has persisted
 * what it consumed, which makes a killed reader resume exactly where its output ends.
 */
public final class RingReader implements AutoCloseable {

    /** Receives consumed entries. */
    @FunctionalInterface
    public interface EntryHandler {
        /**
         * @param seq the entry's sequence
         * @param entry the copied entry as 8 longs: [0] stamp, [1] seq, [2..7] the body;
         *     reused for the next entry, so copy what must be kept
         */
        void onEntry(long seq, long[] entry);
    }

    /** Is told about entries the writer overwrote before they were read. */
    @FunctionalInterface
    public interface LossListener {
        /**
         * @param fromInclusive first lost sequence
         * @param toExclusive first sequence after the lost range
         */
        void onLoss(long fromInclusive, long toExclusive);
    }

    private final Ring ring;
    private final SharedBuffer buf;
    private final int id;
    private final int slot;
    private final int mask;
    private final int capacity;
    private final long[] scratch = new long[ENTRY_SIZE / 8];
    private long position;
    private long lost;
    private boolean released;
    private boolean blocking;
    /** Spin rounds before a blocking reader yields. */
    private static final int SPIN_BEFORE_BLOCK = 64;
    /** Yields after the spins, before it sleeps. */
    private static final int YIELDS_BEFORE_BLOCK = 16;
    /** Safety net for a wake-up lost while a reader registers as blocking. */
    private static final long BLOCK_TIMEOUT_NANOS = 100_000_000L;

    RingReader(Ring ring, int id) {
        this.ring = ring;
        this.buf = ring.buffer();
        this.id = id;
        this.slot = RingDescriptor.readerSlot(id);
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.position = buf.getLongAcquire(slot + READER_POSITION);
        this.lost = buf.getLongAcquire(slot + READER_LOST);
    }

    /** @return this reader's id, 0..7 */
    public int id() {
        return id;
    }

    /** @return the next sequence this reader will consume */
    public long position() {
        return position;
    }

    /** @return entries this reader lost to overruns, in total */
    public long lost() {
        return lost;
    }

    /** @return entries published but not consumed yet */
    public long lag() {
        return ring.writePosition() - position;
    }

    /**
     * Moves the position, for example to where the reader's output file ends. Stored with the
     * next {@link #commit()}.
     *
     * @param seq the next sequence to consume
     */
    public void seek(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("sequence must not be negative: seq=" + seq);
        }
        position = seq;
    }

    /**
     * Consumes up to {@code max} published entries.
     *
     * @param handler receives each good entry, in order
     * @param losses told about overwritten ranges
     * @param max the most entries to consume in this call
     * @return entries delivered to {@code handler}
     */
    public int poll(EntryHandler handler, LossListener losses, int max) {
        long w = ring.writePosition();
        int n = 0;
        while (n < max && position < w) {
            if (w - position > capacity) {
                lose(losses, position, w - capacity);
                continue;
            }
            long seq = position;
            int off = RingDescriptor.entryOffset(seq, mask);
            long expected = RingDescriptor.publishedStamp(seq);
            long s1 = buf.getLongAcquire(off + ENTRY_STAMP);
            if (s1 == expected) {
                for (int i = 0; i < scratch.length; i++) {
                    scratch[i] = buf.getLong(off + 8 * i);
                }
                VarHandle.loadLoadFence();
                long s2 = buf.getLong(off + ENTRY_STAMP);
                if (s2 == expected && scratch[1] == seq) {
                    handler.onEntry(seq, scratch);
                    position = seq + 1;
                    n++;
                    continue;
                }
            } else if (s1 < expected) {
                throw new CorruptSegmentException("ring entry older than the write pointer says: name=" + ring.name()
                        + ", seq=" + seq + ", stamp=" + s1 + ", expected=" + expected, ring.name());
            }
            // The writer lapped us while we looked: skip to the oldest entry that is surely there.
            w = ring.writePosition();
            lose(losses, seq, Math.max(seq + 1, w - capacity + 1));
        }
        return n;
    }

    private void lose(LossListener losses, long from, long to) {
        losses.onLoss(from, to);
        lost += to - from;
        position = to;
        buf.putLongRelease(slot + READER_LOST, lost);
    }

    /**
     * Waits a little for the writer, the way {@code strategy} says. With
     * {@link WaitStrategy#BLOCK} the reader spins briefly, then sleeps on the ring's futex word
     * until the writer publishes (protocol in docs/ring.md); the other strategies ignore the
     * ring.
     *
     * @param strategy how to wait
     * @param rounds consecutive idle rounds before this one
     */
    public void idle(WaitStrategy strategy, int rounds) {
        if (strategy != WaitStrategy.BLOCK) {
            strategy.idle(rounds);
            return;
        }
        if (!blocking) {
            buf.putIntRelease(slot + READER_BLOCKING, 1);
            buf.getAndAddInt(BLOCKERS_VERSION_OFFSET, 1);
            blocking = true;
        }
        if (rounds < SPIN_BEFORE_BLOCK) {
            Thread.onSpinWait();
            return;
        }
        if (rounds < SPIN_BEFORE_BLOCK + YIELDS_BEFORE_BLOCK) {
            Thread.yield(); // on a busy host this lets the writer run instead of us sleeping and waking
            return;
        }
        int epoch = buf.getIntAcquire(WAKEUP_OFFSET);
        buf.putInt(slot + READER_SLEEP_EPOCH, epoch);
        buf.putIntVolatile(slot + READER_SLEEPING, 1);
        try {
            if (ring.writePosition() <= position) {
                ring.wakeup().await(epoch, BLOCK_TIMEOUT_NANOS);
            }
        } finally {
            buf.putIntRelease(slot + READER_SLEEPING, 0);
        }
    }

    /** Stores the position (release), after what was consumed has been persisted. */
    public void commit() {
        buf.putLongRelease(slot + READER_POSITION, position);
    }

    /** Frees the slot for good: a lossless writer stops waiting for it. */
    public void release() {
        ring.releaseReader(id);
        released = true;
    }

    /** Stores the position and marks the slot detached, so a restarted reader resumes here. */
    @Override
    public void close() {
        if (blocking && buf.isOpen()) {
            buf.putIntRelease(slot + READER_BLOCKING, 0);
            buf.getAndAddInt(BLOCKERS_VERSION_OFFSET, 1);
        }
        if (!released) {
            ring.detachReader(id, position);
        }
    }
}
