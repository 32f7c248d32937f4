package io.ipcarc.posix.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A thread waited for one of a segment's robust locks (its own lock, or a payload lock) longer
 * than the threshold: the event's duration is the wait. Made only on the contended path, after
 * the trylock found the lock busy; the uncontended acquisition creates no event. Recorded from
 * 10 ms on by default (lower the threshold, down to 0 ms, to see every wait).
 */
@Name("io.ipcarc.LockWait")
@Label("IpcArc Lock Wait")
@Category({"IpcArc", "Lock"})
@Description("A thread waited for a segment's process-shared lock; the duration is the wait")
@Threshold("10 ms")
@StackTrace(true)
public final class LockWaitEvent extends Event {
    /** The segment's name. */
    @Label("Segment")
    public String segment;

    /** {@code segment} for the segment's own lock, {@code payload@OFFSET} for a payload lock. */
    @Label("Lock")
    @Description("segment for the segment's own lock, payload@OFFSET for a payload lock")
    public String lock;

    /** The pid the lock's owner field showed when the wait began (advisory: written by the holder). */
    @Label("Owner PID")
    @Description("The pid in the lock's owner field when the wait began, 0 if none was recorded")
    public int ownerPid;

    /** How the wait ended. */
    @Label("Outcome")
    @Description("acquired, owner-died (acquired from a holder that died), timed-out, interrupted or failed")
    public String outcome;

    /** Made by the waiting code, before it waits. */
    public LockWaitEvent() {
    }
}
