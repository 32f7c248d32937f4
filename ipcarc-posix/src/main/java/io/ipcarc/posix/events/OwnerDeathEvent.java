package io.ipcarc.posix.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * This process recovered a segment's lock (or a payload lock) from a holder that died holding
 * it: the acquisition got {@code EOWNERDEAD}, recorded the death in the segment and made the
 * mutex consistent. Rare; enabled by default.
 */
@Name("io.ipcarc.OwnerDeathRecovered")
@Label("IpcArc Owner Death Recovered")
@Category({"IpcArc", "Lock"})
@Description("A lock was recovered from a holder process that died holding it")
public final class OwnerDeathEvent extends Event {
    /** The segment's name. */
    @Label("Segment")
    public String segment;

    /** {@code segment} or {@code payload@OFFSET}. */
    @Label("Lock")
    @Description("segment for the segment's own lock, payload@OFFSET for a payload lock")
    public String lock;

    /** The pid in the lock's owner field when its owner died (advisory). */
    @Label("Dead Owner PID")
    public int deadOwnerPid;

    /** Made by the recovering code. */
    public OwnerDeathEvent() {
    }

    /**
     * Commits one event, if the event is enabled.
     *
     * @param segment the segment's name
     * @param lock {@code segment} or {@code payload@OFFSET}
     * @param deadOwnerPid the dead owner's pid as recorded
     */
    public static void emit(String segment, String lock, int deadOwnerPid) {
        OwnerDeathEvent e = new OwnerDeathEvent();
        if (e.shouldCommit()) {
            e.segment = segment;
            e.lock = lock;
            e.deadOwnerPid = deadOwnerPid;
            e.commit();
        }
    }
}
