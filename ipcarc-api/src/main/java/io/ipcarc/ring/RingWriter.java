package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.BLOCKERS_VERSION_OFFSET;
import static io.ipcarc.ring.RingDescriptor.ENTRY_BODY;
import static io.ipcarc.ring.RingDescriptor.ENTRY_SEQ;
import static io.ipcarc.ring.RingDescriptor.ENTRY_STAMP;
import static io.ipcarc.ring.RingDescriptor.READER_BLOCKING;
import static io.ipcarc.ring.RingDescriptor.READER_SLEEPING;
import static io.ipcarc.ring.RingDescriptor.READER_SLEEP_EPOCH;
import static io.ipcarc.ring.RingDescriptor.READER_SLOTS;
import static io.ipcarc.ring.RingDescriptor.WAKEUP_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITE_POINTER_OFFSET;

import io.ipcarc.SharedBuffer;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The single writer of a {@link Ring}. Publish protocol for sequence {@code s} (docs/ring.md):
 * stamp the slot {@code 2s+1} (release, then a store-store fence), write seq and body, stamp
 * {@code 2s+2} (release), then store the write pointer {@code s+1} (release). A writer that is
 * killed part-way leaves the write pointer at {@code s}; the next writer rewrites slot
 * {@code s}, so no sequence is repeated or skipped.
 */
public final class RingWriter implements AutoCloseable {

    /** Writes the 48-byte body of one entry. */
    @FunctionalInterface
    public interface EntryBody {
        /**
         * @param buffer the ring's memory
         * @param bodyOffset where the body starts; 48 bytes, 8-aligned
         * @param seq the entry's sequence
         */
        void write(SharedBuffer buffer, int bodyOffset, long seq);
    }

    private final Ring ring;
    private final SharedBuffer buf;
    private final int mask;
    private final int capacity;
    private final boolean lossless;
    private long next;
    /** Cached position of the slowest registered reader; Long.MAX_VALUE when there is none. */
    private long slowest;
    private long waits;
    private long wakeups;
    private int blockersVersion = -1;
    private final int[] blockingSlots = new int[READER_SLOTS];
    private int blockingCount;

    RingWriter(Ring ring, boolean lossless) {
        this.ring = ring;
        this.buf = ring.buffer();
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.lossless = lossless;
        this.next = ring.writePosition();
        this.slowest = ring.slowestReaderPosition();
    }

    /** @return the sequence the next {@link #publish} writes */
    public long nextSequence() {
        return next;
    }

    /** @return whether this writer waits for the slowest registered reader */
    public boolean lossless() {
        return lossless;
    }

    /** @return how many times a lossless publish had to wait for a reader */
    public long waits() {
        return waits;
    }

    /**
     * Publishes one entry; in lossless mode first waits while the slowest registered reader is
     * a full ring behind.
     *
     * @param body writes the entry's body
     * @param wait how to wait in lossless mode
     * @param running checked while waiting; when it turns false, nothing is published
     * @return true if published, false if {@code running} turned false while waiting
     */
    public boolean publish(EntryBody body, WaitStrategy wait, BooleanSupplier running) {
        long seq = next;
        // Re-read the readers when the cached slowest one is a ring behind, and every 64 entries
        // anyway so that a reader registering meanwhile is seen.
        if (lossless && (seq - slowest >= capacity || (seq & 63) == 0)) {
            int rounds = 0;
            while (seq - (slowest = ring.slowestReaderPosition()) >= capacity) {
                if (!running.getAsBoolean()) {
                    return false;
                }
                if (rounds == 0) {
                    waits++;
                }
                wait.idle(rounds++);
            }
        }
        int off = RingDescriptor.entryOffset(seq, mask);
        buf.putLongRelease(off + ENTRY_STAMP, RingDescriptor.writingStamp(seq));
        VarHandle.storeStoreFence();
        buf.putLong(off + ENTRY_SEQ, seq);
        body.write(buf, off + ENTRY_BODY, seq);
        buf.putLongRelease(off + ENTRY_STAMP, RingDescriptor.publishedStamp(seq));
        buf.putLongRelease(WRITE_POINTER_OFFSET, seq + 1);
        next = seq + 1;
        wakeSleepers();
        return true;
    }

    /**
     * Wakes readers sleeping with {@link WaitStrategy#BLOCK}. With no blocking reader this costs
     * one load of a word that only changes when a reader starts or stops blocking; otherwise a
     * full fence (the write pointer store must be visible before the sleeping flags are read:
     * the reader sets its flag, fences, and re-reads the write pointer before it sleeps) and a
     * load per blocking reader, and a futex wake only when one sleeps.
     */
    private void wakeSleepers() {
        int version = buf.getIntAcquire(BLOCKERS_VERSION_OFFSET);
        if (version != blockersVersion) {
            blockersVersion = version;
            blockingCount = 0;
            for (int i = 0; i < READER_SLOTS; i++) {
                int slot = RingDescriptor.readerSlot(i);
                if (buf.getIntAcquire(slot + READER_BLOCKING) != 0) {
                    blockingSlots[blockingCount++] = slot;
                }
            }
        }
        if (blockingCount == 0) {
            return;
        }
        VarHandle.fullFence();
        int epoch = buf.getIntAcquire(WAKEUP_OFFSET);
        for (int i = 0; i < blockingCount; i++) {
            // Wake only readers asleep on the current epoch: one sleeping on an older one has
            // been woken already (or its wait returns at once), so one wake per sleep suffices.
            if (buf.getIntAcquire(blockingSlots[i] + READER_SLEEPING) != 0
                    && buf.getInt(blockingSlots[i] + READER_SLEEP_EPOCH) == epoch) {
                buf.getAndAddInt(WAKEUP_OFFSET, 1);
                ring.wakeup().wakeAll();
                wakeups++;
                return;
            }
        }
    }

    /** @return how many times this writer woke sleeping readers */
    public long wakeups() {
        return wakeups;
    }

    /** Gives up the writer role (the ring stays open). */
    @Override
    public void close() {
        ring.releaseWriter();
    }
}
