package io.ipcarc.posix.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * This process removed dead holders from a segment's holder table (on a load or close, under
 * the admin mutex): processes that died without closing their handles. Rare; enabled by default.
 */
@Name("io.ipcarc.HoldersReaped")
@Label("IpcArc Holders Reaped")
@Category({"IpcArc", "Segment"})
@Description("Dead holder processes were removed from a segment's holder table")
public final class HoldersReapedEvent extends Event {
    /** The segment's name. */
    @Label("Segment")
    public String segment;

    /** Holder slots freed. */
    @Label("Holders")
    public int holders;

    /** Their handles, taken off the refcount. */
    @Label("Handles")
    public long handles;

    /** The dead holders' pids, comma-separated (as they recorded them: display only). */
    @Label("PIDs")
    public String pids;

    /** Made by the reaping code. */
    public HoldersReapedEvent() {
    }
}
