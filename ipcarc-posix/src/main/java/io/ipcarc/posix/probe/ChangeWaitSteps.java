package io.ipcarc.posix.probe;

import io.ipcarc.posix.segment.SegmentDescriptor;
import io.ipcarc.posix.segment.SegmentHandle;

/**
 * The two steps of {@code awaitChange} after its spin, for a stress test that must reach the
 * sleep without the spin before it (which usually sees a release before the waiter is counted).
 * Valid while the arc is open.
 */
public final class ChangeWaitSteps {
    private final SegmentHandle handle;

    ChangeWaitSteps(SegmentHandle handle) {
        this.handle = handle;
    }

    /**
     * Loads the sequence word with acquire ordering, as the waiter does before it sleeps.
     *
     * @return the sequence word (the version, with the low bit set while a write is in progress)
     */
    public long loadSequence() {
        return handle.header.getLongAcquire(SegmentDescriptor.SEQUENCE_OFFSET);
    }

    /**
     * Counts this thread as a waiter, sleeps while the sequence word still holds {@code word}
     * (futex), and counts it out.
     *
     * @param word what {@link #loadSequence()} returned
     * @param nanos longest sleep
     */
    public void sleep(long word, long nanos) {
        handle.changes.sleep(word, nanos);
    }
}
