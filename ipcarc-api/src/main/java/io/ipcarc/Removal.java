package io.ipcarc;

/** The outcome of {@link IpcArcs#remove(SegmentInfo, boolean)}. */
public enum Removal {
    /** The name was unlinked. Processes that still map the segment keep using it until they close it. */
    REMOVED,
    /** The name no longer exists: someone else removed it (or its last holder closed it) meanwhile. */
    GONE,
    /** The name now refers to another object than the one inspected; nothing was removed. */
    REPLACED
}
