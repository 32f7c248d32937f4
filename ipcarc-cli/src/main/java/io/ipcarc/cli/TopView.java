package io.ipcarc.cli;

import java.time.Instant;
import java.util.List;

/**
 * One refresh of {@code ipcarc top}: what the segments looked like at {@code time}, with the rates
 * measured since the previous refresh ({@link TopTracker} makes it).
 *
 * @param time when the segments were read
 * @param seconds the time since the previous refresh, 0 for the first one (then no rate is known)
 * @param segments every IpcArc segment, rings included
 * @param rings the rings among them
 */
record TopView(Instant time, double seconds, List<Segment> segments, List<Ring> rings) {

    /**
     * A segment's row.
     *
     * @param name the segment's name
     * @param type its type descriptor, or {@code ring} for a ring
     * @param size payload bytes
     * @param refCount open handles of all processes
     * @param liveHolders processes holding it
     * @param deadHolders holders that died without closing, not reaped yet
     * @param state {@code ready}, {@code retained}, {@code initializing}, {@code unlinked}
     * @param lock the lock's state: {@code free}, {@code held}, {@code owner-died}, {@code not-recoverable}
     * @param lockPid the pid holding it (or that held it when it died), 0 if none
     * @param lockTid that thread's id, 0 if none
     * @param heldSeconds how long this {@code top} has seen the same thread hold the lock, or -1
     */
    record Segment(String name, String type, long size, long refCount, int liveHolders, int deadHolders, String state,
                   String lock, int lockPid, int lockTid, double heldSeconds) {
    }

    /**
     * A ring: its writer and readers.
     *
     * @param name the ring's segment name
     * @param capacity entries
     * @param write the next sequence to publish, or the write pointer when that is not known
     * @param writeExact whether {@code write} is exact (else an upper bound, by at most a block)
     * @param writeRate entries published per second since the previous refresh, or NaN
     * @param writerPid the writer's pid, 0 if none
     * @param writerMode {@code lossless}, {@code lossy}, or {@code null}
     * @param readers the registered readers, by id
     */
    record Ring(String name, int capacity, long write, boolean writeExact, double writeRate, int writerPid, String writerMode,
                List<Reader> readers) {

        /** @return the largest lag of its readers, 0 if none */
        long maxLag() {
            return readers.stream().mapToLong(Reader::lag).max().orElse(0);
        }
    }

    /**
     * A registered reader of a ring.
     *
     * @param id its slot
     * @param state {@code active}, {@code detached}
     * @param pid its process, 0 if detached
     * @param position its committed position
     * @param rate entries it committed per second since the previous refresh, or NaN
     * @param lag published entries it has not committed past
     * @param lagExact whether {@code lag} is exact (else an upper bound, by at most a block)
     * @param lost entries it lost to overruns
     */
    record Reader(int id, String state, int pid, long position, double rate, long lag, boolean lagExact, long lost) {
    }
}
