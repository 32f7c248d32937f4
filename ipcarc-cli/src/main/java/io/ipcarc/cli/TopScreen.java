package io.ipcarc.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lays a {@link TopView} out as lines of text: a status line, the segments table, and per ring its
 * writer line and readers table. For a terminal the lines fit its width and height (80x24 and up:
 * long names and types are cut, and when rows do not fit, the last shown line says how many are
 * left out); for a pipe, nothing is cut.
 */
final class TopScreen {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    /** The segment row after the name: type, size, refs, live holders, lock. */
    private static final String SEGMENT_COLUMNS = " %-16s %8s %4s %4s %s";
    /** Columns a terminal row leaves the name: all but type, size, refs, live and the usual lock text. */
    private static final int OTHER_COLUMNS = 56;
    private static final String READER_ROW = "  %-6s %-8s %7s %12s %8s %10s %10s";
    /** The rows the segments table keeps when rings need the room, if it has that many. */
    private static final int MIN_SEGMENT_ROWS = 4;

    private TopScreen() {
    }

    /**
     * @param v what to show
     * @param sort the order of the rows
     * @param keys whether to show the keys (a terminal, where they work)
     * @param width columns available, or {@link Integer#MAX_VALUE} for no limit
     * @param height lines available, or {@link Integer#MAX_VALUE} for no limit
     * @return the lines
     */
    static List<String> lines(TopView v, TopSort sort, boolean keys, int width, int height) {
        boolean cut = width != Integer.MAX_VALUE;
        List<String> head = new ArrayList<>();
        head.add("ipcarc top " + CLOCK.format(v.time()) + "  " + count(v.segments().size(), "segment") + ", "
                + count(v.rings().size(), "ring") + "  sort " + sort.label() + (keys ? "  keys n/r/s/l/w sort, q quit" : ""));
        int longest = v.segments().stream().mapToInt(s -> s.name().length()).max().orElse(4);
        int nameWidth = cut ? Math.max(4, Math.min(longest, Math.max(12, width - OTHER_COLUMNS))) : Math.max(4, longest);
        String row = "%-" + nameWidth + "s" + SEGMENT_COLUMNS;
        List<String> segments = new ArrayList<>();
        segments.add(String.format(row, "NAME", "TYPE", "SIZE", "REFS", "LIVE", "LOCK"));
        for (TopView.Segment s : sorted(v.segments(), sort)) {
            segments.add(String.format(row, fit(s.name(), nameWidth, cut), fit(s.type(), 16, cut), s.size(), s.refCount(),
                    s.liveHolders() + (s.deadHolders() > 0 ? "+" : ""), lock(s)));
        }
        List<String> rings = new ArrayList<>();
        for (TopView.Ring r : sortedRings(v.rings(), sort)) {
            rings.add("");
            rings.add("RING " + r.name() + "  cap " + r.capacity() + "  write " + (r.writeExact() ? "" : "<=") + r.write()
                    + "  " + rate(r.writeRate()) + "/s  writer " + (r.writerPid() == 0 ? "none" : r.writerPid() + " " + r.writerMode()));
            rings.add(String.format(READER_ROW, "READER", "STATE", "PID", "POSITION", "RATE/s", "LAG", "LOST"));
            List<TopView.Reader> readers = new ArrayList<>(r.readers());
            if (sort == TopSort.LAG) {
                readers.sort(Comparator.comparingLong(TopView.Reader::lag).reversed());
            }
            for (TopView.Reader x : readers) {
                rings.add(String.format(READER_ROW, x.id(), x.state(), x.pid() == 0 ? "-" : x.pid(), x.position(), rate(x.rate()),
                        (x.lagExact() ? "" : "<=") + x.lag(), x.lost()));
            }
        }
        int room = height - head.size();
        int ringRoom = Math.min(rings.size(), Math.max(0, room - Math.min(segments.size(), MIN_SEGMENT_ROWS + 1)));
        List<String> out = new ArrayList<>(head);
        out.addAll(keep(segments, room - ringRoom, "segments"));
        out.addAll(keep(rings, Math.max(0, height - out.size()), "ring lines"));
        return cut ? out.stream().map(l -> l.length() > width ? l.substring(0, width) : l).toList() : out;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String lock(TopView.Segment s) {
        return switch (s.lock()) {
            case "held" -> "held " + s.lockPid() + (s.heldSeconds() >= 0 ? " " + Math.round(s.heldSeconds()) + "s" : "");
            case "owner-died" -> "owner-died " + s.lockPid();
            default -> s.lock();
        };
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.valueOf(Math.round(perSecond));
    }

    /** @return the text, cut to {@code width} with a {@code ~} at the end if {@code cut} */
    private static String fit(String text, int width, boolean cut) {
        return !cut || text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    /** @return the first lines that fit in {@code max}, the last of them saying how many were left out */
    private static List<String> keep(List<String> lines, int max, String what) {
        if (lines.size() <= max) {
            return lines;
        }
        if (max <= 0) {
            return List.of();
        }
        List<String> kept = new ArrayList<>(lines.subList(0, max - 1));
        kept.add("  ... " + (lines.size() - max + 1) + " more " + what + " (a larger terminal, or ipcarc top --once, shows them)");
        return kept;
    }

    private static List<TopView.Segment> sorted(List<TopView.Segment> segments, TopSort sort) {
        Comparator<TopView.Segment> byName = Comparator.comparing(TopView.Segment::name);
        Comparator<TopView.Segment> order = switch (sort) {
            case REFS -> Comparator.comparingLong(TopView.Segment::refCount).reversed().thenComparing(byName);
            case SIZE -> Comparator.comparingLong(TopView.Segment::size).reversed().thenComparing(byName);
            default -> byName;
        };
        return segments.stream().sorted(order).toList();
    }

    private static List<TopView.Ring> sortedRings(List<TopView.Ring> rings, TopSort sort) {
        Comparator<TopView.Ring> byName = Comparator.comparing(TopView.Ring::name);
        Comparator<TopView.Ring> order = switch (sort) {
            case LAG -> Comparator.comparingLong(TopView.Ring::maxLag).reversed().thenComparing(byName);
            case RATE -> Comparator.comparingDouble((TopView.Ring r) -> Double.isNaN(r.writeRate()) ? -1 : r.writeRate())
                    .reversed().thenComparing(byName);
            default -> byName;
        };
        return rings.stream().sorted(order).toList();
    }
}
