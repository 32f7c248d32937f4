package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.ENTRY_BODY;
import static io.ipcarc.ring.RingDescriptor.ENTRY_SEQ;
import static io.ipcarc.ring.RingDescriptor.ENTRY_STAMP;
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
        return true;
    }

    /** Gives up the writer role (the ring stays open). */
    @Override
    public void close() {
        ring.releaseWriter();
    }
}
