package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.SEQUENCE_OFFSET;

import java.lang.invoke.VarHandle;
import io.ipcarc.posix.memory.MemoryView;

import io.ipcarc.posix.sys.RawMemory;

/**
 * The sequence word of a segment (offset {@link SegmentDescriptor#SEQUENCE_OFFSET}) and the
 * protocols around it that let {@code read()} copy the payload without taking the user mutex.
 * docs/seqlock.md explains them and their fences.
 *
 * <p>Only the holder of the user mutex writes the word.
 * <ul>
 *   <li>Raw payload (a seqlock): the holder makes the word odd before its first write
 *       ({@link #beginWrite()}) and even again just before it releases the mutex
 *       ({@link #endWrite(long)}). A reader takes a stamp with {@link #readBegin()}, copies the
 *       payload with plain loads, and keeps the copy only if {@link #validate(long)} says the word
 *       did not move and was even.</li>
 *   <li>Crash-atomic payload: the word is a commit counter, +2 per published guard
 *       ({@link #publish(long)}); its bit 1 names the committed copy ({@link PayloadCopies}). A
 *       reader copies the committed copy between two loads of the word and keeps it if the word
 *       did not move ({@link #validateCommitted(long)}): the copy it read can only be rewritten by a
 *       guard that acquired the mutex after a later publish, which changed the word first.</li>
 * </ul>
 */
public final class Seqlock {
    /** The segment's header words ({@link MemoryView#headerWords()}). */
    private final RawMemory header;

    /**
     * @param header the segment's header words ({@code MemoryView.headerWords()})
     */
    public Seqlock(RawMemory header) {
        this.header = header;
    }

    /**
     * Marks the payload as being written. Call right after acquiring the user mutex. An odd word
     * means the previous holder died in the middle of its critical section; it stays odd.
     *
     * @return the odd value the word now holds, for {@link #endWrite(long)}
     */
    public long beginWrite() {
        // Plain accesses: only mutex holders store the word, and acquiring the mutex ordered this
        // thread after the previous holder's last store.
        long s = header.getLong(SEQUENCE_OFFSET);
        if ((s & 1) == 0) {
            s++;
            header.putLong(SEQUENCE_OFFSET, s);
        }
        // The odd value must be visible before any payload store that follows.
        VarHandle.storeStoreFence();
        return s;
    }

    /**
     * Publishes the payload: the word becomes even. Call just before releasing the user mutex.
     *
     * @param odd what {@link #beginWrite()} returned; no one else stored the word since
     */
    public void endWrite(long odd) {
        // Release: every payload store of the critical section is ordered before the even value.
        VarHandle.releaseFence();
        header.putLong(SEQUENCE_OFFSET, odd + 1);
    }

    /**
     * Publishes a crash-atomic guard's shadow copy: one release store of the word + 2, which
     * flips bit 1 to the copy just written. Call just before releasing the user mutex.
     *
     * @param word the word as this guard found it when it acquired the mutex
     * @return the new word
     */
    public long publish(long word) {
        long next = (word & ~1L) + 2;
        // Release: every store to the shadow copy is ordered before the word that names it.
        VarHandle.releaseFence();
        header.putLong(SEQUENCE_OFFSET, next);
        return next;
    }

    /**
     * Ends an optimistic read of the committed copy of a crash-atomic payload.
     *
     * @param stamp what {@link #readBegin()} returned
     * @return whether no guard published since the stamp was taken
     */
    public boolean validateCommitted(long stamp) {
        VarHandle.loadLoadFence();
        return header.getLong(SEQUENCE_OFFSET) == stamp;
    }

    /**
     * @return the word, read by the holder of the user mutex (plain: only holders store it, and
     *     acquiring the mutex ordered this thread after the previous holder's last store)
     */
    public long current() {
        return header.getLong(SEQUENCE_OFFSET);
    }

    /**
     * Starts an optimistic read.
     *
     * @return the stamp; odd means a writer is active and the read must not be attempted
     */
    public long readBegin() {
        // Acquire: the payload loads that follow cannot move above the load of the word. An acquire
        // load rather than a plain load and a fence: on the FFM binding the fence also keeps the JIT
        // from sharing the segment's checks between the loads that follow (docs/benchmarks.md).
        return header.getLongAcquire(SEQUENCE_OFFSET);
    }

    /**
     * Ends an optimistic read.
     *
     * @param stamp what {@link #readBegin()} returned
     * @return whether no writer touched the payload since the stamp was taken
     */
    public boolean validate(long stamp) {
        // The payload loads before this point must not move below the second load of the word.
        VarHandle.loadLoadFence();
        return (stamp & 1) == 0 && header.getLong(SEQUENCE_OFFSET) == stamp;
    }
}
