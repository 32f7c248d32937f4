package io.ipcarc.ring;

/** Where a reader claiming a free slot starts (a registered slot resumes at its stored position). */
public enum StartFrom {
    /** The oldest entry still in the ring. */
    OLDEST,
    /** The next entry the writer publishes. */
    LATEST
}
