package io.ipcarc.cli;

import io.ipcarc.LockInfo;
import io.ipcarc.SegmentInfo;
import io.ipcarc.map.MapInspector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns successive listings of the segments into {@link TopView}s: the rates of each ring's writer
 * and readers between two listings, and how long each lock has been seen held by the same thread.
 * All it knows comes from read-only inspections ({@code IpcArcs.list()}): nothing is locked, mapped
 * or written. A lock's hold time is what the listings saw (the same thread as holder at every
 * refresh since), not the time the holder took it, which no segment records.
 */
final class TopTracker {
    /** The same segment at the previous refresh: its inode and its ring's positions. */
    private record Previous(long inode, long write, Map<Integer, Long> readers) {
    }

    /** A lock seen held: by which thread, since which refresh. */
    private record Held(int pid, int tid, long sinceNanos) {
    }

    private final Map<String, Previous> previous = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private long lastNanos = -1;

    /**
     * @param segments a listing of the segments
     * @param time when it was made
     * @param nanos {@link System#nanoTime()} then
     * @return what to show, with rates since the previous call
     */
    TopView next(List<SegmentInfo> segments, Instant time, long nanos) {
        double seconds = lastNanos < 0 ? 0 : (nanos - lastNanos) / 1e9;
        List<TopView.Segment> rows = new ArrayList<>();
        List<TopView.Ring> rings = new ArrayList<>();
        Map<String, Previous> seen = new HashMap<>();
        Map<String, Held> stillHeld = new HashMap<>();
        for (SegmentInfo s : segments) {
            if (s.kind() != SegmentInfo.Kind.SEGMENT) {
                continue;
            }
            Previous before = previous.get(s.name());
            if (before != null && before.inode() != s.inode()) {
                before = null; // another segment under the same name: nothing to compare with
            }
            TopView.Ring ring = s.payloadTree() instanceof Map<?, ?> tree && "ring".equals(tree.get("structure"))
                    ? ring(s.name(), tree, before, seconds) : null;
            if (ring != null) {
                rings.add(ring);
                Map<Integer, Long> positions = new HashMap<>();
                ring.readers().forEach(r -> positions.put(r.id(), r.position()));
                seen.put(s.name(), new Previous(s.inode(), ring.write(), positions));
            } else {
                seen.put(s.name(), new Previous(s.inode(), 0, Map.of()));
            }
            rows.add(segment(s, ring != null, nanos, stillHeld));
        }
        previous.clear();
        previous.putAll(seen);
        held.clear();
        held.putAll(stillHeld);
        lastNanos = nanos;
        return new TopView(time, seconds, List.copyOf(rows), List.copyOf(rings));
    }

    private TopView.Segment segment(SegmentInfo s, boolean ring, long nanos, Map<String, Held> stillHeld) {
        LockInfo lock = s.lock();
        double heldSeconds = -1;
        if (lock.state() == LockInfo.State.HELD) {
            Held h = held.get(s.name());
            if (h == null || h.pid() != lock.pid() || h.tid() != lock.tid()) {
                h = new Held(lock.pid(), lock.tid(), nanos);
            }
            stillHeld.put(s.name(), h);
            heldSeconds = (nanos - h.sinceNanos()) / 1e9;
        }
        return new TopView.Segment(s.name(), ring ? "ring" : type(s), s.payloadSize(), s.refCount(),
                s.liveHolders().size(), s.deadHolders().size(), SegmentFormat.state(s),
                lock.state().name().toLowerCase(Locale.ROOT).replace('_', '-'), lock.pid(), lock.tid(), heldSeconds);
    }

    /**
     * @return the TYPE cell: a map's keys in use and its capacity ({@code map 250/1000}), read
     *     read-only from its file each refresh; else the descriptor
     */
    private static String type(SegmentInfo s) {
        if (!MapSection.isMap(s)) {
            return s.descriptor();
        }
        MapInspector.Inspection m = MapSection.read(s, 0);
        return m == null ? s.descriptor() : "map " + m.size() + "/" + m.capacity();
    }

    private static TopView.Ring ring(String name, Map<?, ?> tree, Previous before, double seconds) {
        Object exact = tree.get("write");
        long write = exact != null ? number(exact) : number(tree.get("writePointer"));
        double writeRate = before != null && seconds > 0 ? (write - before.write()) / seconds : Double.NaN;
        List<TopView.Reader> readers = new ArrayList<>();
        if (tree.get("readers") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> r = (Map<?, ?>) o;
                int id = (int) number(r.get("id"));
                long position = number(r.get("position"));
                Long was = before == null ? null : before.readers().get(id);
                double rate = was != null && seconds > 0 ? (position - was) / seconds : Double.NaN;
                readers.add(new TopView.Reader(id, String.valueOf(r.get("state")), (int) number(r.get("pid")), position, rate,
                        number(r.get("lag")), Boolean.TRUE.equals(r.get("lagExact")), number(r.get("lost"))));
            }
        }
        Map<?, ?> writer = tree.get("writer") instanceof Map<?, ?> w ? w : Map.of();
        return new TopView.Ring(name, (int) number(tree.get("capacity")), write, exact != null, writeRate,
                Boolean.TRUE.equals(writer.get("present")) ? (int) number(writer.get("pid")) : 0,
                writer.get("mode") == null ? null : String.valueOf(writer.get("mode")), List.copyOf(readers));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
