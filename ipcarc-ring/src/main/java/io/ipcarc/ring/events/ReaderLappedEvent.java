package io.ipcarc.ring.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A reader of a lossy ring found that the writer had lapped it: the entries from {@code from} to
 * {@code to} (exclusive) were overwritten before it read them and are lost. Off by default: under a
 * sustained overrun a reader can be lapped about once per ring's capacity of entries written, which
 * is too often for JFR's default settings; enable it (a .jfc file, or {@code Recording.enable}) to see
 * each lap. The reader's lost count is also in its slot (and in the ring's metrics) at all times.
 */
@Name("io.ipcarc.ReaderLapped")
@Label("IpcArc Ring Reader Lapped")
@Category({"IpcArc", "Ring"})
@Description("A lossy ring's writer overwrote entries this reader had not read yet; they are lost")
@Enabled(false)
public final class ReaderLappedEvent extends Event {
    /** The ring's name. */
    @Label("Ring")
    public String ring;

    /** The reader's id (its slot). */
    @Label("Reader")
    public int reader;

    /** The first sequence lost. */
    @Label("From")
    public long from;

    /** The sequence the reader goes on with (the first not lost). */
    @Label("To")
    public long to;

    /** Entries lost by this lap: {@code to - from}. */
    @Label("Lost")
    public long lost;

    /** Entries this reader has lost in total, this lap included. */
    @Label("Lost In Total")
    public long lostTotal;

    /** Made by the reading code. */
    public ReaderLappedEvent() {
    }

    /**
     * Commits one event, if the event is enabled.
     *
     * @param ring the ring's name
     * @param reader the reader's id
     * @param from the first sequence lost
     * @param to the first sequence not lost
     * @param lostTotal the reader's lost count after this lap
     */
    public static void emit(String ring, int reader, long from, long to, long lostTotal) {
        ReaderLappedEvent e = new ReaderLappedEvent();
        if (e.shouldCommit()) {
            e.ring = ring;
            e.reader = reader;
            e.from = from;
            e.to = to;
            e.lost = to - from;
            e.lostTotal = lostTotal;
            e.commit();
        }
    }
}
