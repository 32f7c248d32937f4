package io.ipcarc.ring.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A lossless ring's writer waited for room longer than the threshold: the slowest registered
 * reader was a whole ring behind. The event's duration is the wait. Made only when a publish
 * found no room; a publish with room creates no event. Recorded from 10 ms on by default (lower
 * the threshold, down to 0 ms, to see every wait).
 */
@Name("io.ipcarc.RingWriterBlocked")
@Label("IpcArc Ring Writer Blocked")
@Category({"IpcArc", "Ring"})
@Description("A lossless ring's writer waited for its slowest reader to make room; the duration is the wait")
@Threshold("10 ms")
@StackTrace(true)
public final class RingWriterBlockedEvent extends Event {
    /** The ring's name. */
    @Label("Ring")
    public String ring;

    /** The sequence the writer waited to publish. */
    @Label("Sequence")
    public long sequence;

    /** The reader that held the writer back: the slowest registered one when the wait began. */
    @Label("Reader")
    @Description("The slowest registered reader's id when the wait began")
    public int reader;

    /** The pid in that reader's slot when the wait ended (advisory; 0 if no process claimed it). */
    @Label("Reader PID")
    @Description("The pid in the reader's slot when the wait ended, 0 if no process had claimed it")
    public int readerPid;

    /** That reader's committed position when the wait began. */
    @Label("Reader Position")
    public long readerPosition;

    /** Made by the writing code, before it waits. */
    public RingWriterBlockedEvent() {
    }
}
