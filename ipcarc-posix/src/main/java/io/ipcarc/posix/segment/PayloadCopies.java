package io.ipcarc.posix.segment;

import io.ipcarc.posix.memory.MemoryView;

/**
 * Where a handle finds the payload: one copy written in place (raw), or two copies of which the
 * commit word names the committed one (crash-atomic). In crash-atomic mode a guard writes the
 * other copy, the shadow, and publishes it by adding 2 to the commit word (one release store):
 * bit 1 of the word is the index of the committed copy.
 */
public final class PayloadCopies {
    /** Whether the payload exists twice (crash-atomic), else once (raw). */
    public final boolean crashAtomic;
    /** Copy 0; the only copy of a raw payload. */
    public final MemoryView first;
    /** Copy 1 of a crash-atomic payload; {@code null} when raw. */
    final MemoryView second;
    /** The copies without per-access closed checks, for read() only (see {@link MemoryView#unscoped()}). */
    private final MemoryView firstUnscoped;
    private final MemoryView secondUnscoped;

    PayloadCopies(OpenSegment s) {
        SegmentHeader h = s.header();
        this.crashAtomic = h.crashAtomic();
        this.first = s.memory().window(h.copyOffset(0), h.payloadSize());
        this.second = crashAtomic ? s.memory().window(h.copyOffset(1), h.payloadSize()) : null;
        this.firstUnscoped = first.unscoped();
        this.secondUnscoped = crashAtomic ? second.unscoped() : null;
    }

    /**
     * {@link #committed(long)} for read(), which checks the closed state itself.
     *
     * @param word a value of the commit word
     * @return the unscoped view of the copy committed with that word (of the only copy when raw)
     */
    public MemoryView committedForRead(long word) {
        return crashAtomic && (word & 2) != 0 ? secondUnscoped : firstUnscoped;
    }

    /**
     * @param word a value of the commit word
     * @return the copy that holds the value committed with that word
     */
    public MemoryView committed(long word) {
        return crashAtomic && (word & 2) != 0 ? second : first;
    }

    /**
     * @param word the commit word while this thread holds the user mutex
     * @return the copy a guard may write: the one not committed
     */
    public MemoryView shadow(long word) {
        return (word & 2) != 0 ? first : second;
    }
}
