package io.ipcarc.cli;

import io.ipcarc.HolderInfo;
import io.ipcarc.IpcArcs;
import io.ipcarc.SegmentInfo;
import io.ipcarc.SegmentNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How segments look in the tool's output: table cells, JSON objects and time stamps. */
final class SegmentFormat {
    private SegmentFormat() {
    }

    /**
     * Inspects a name, failing with {@link ExitCodes#PERMISSION} if this user cannot read it.
     *
     * @param name the segment name
     * @return the segment or foreign file
     */
    static SegmentInfo inspectReadable(String name) {
        SegmentInfo s = IpcArcs.inspect(name);
        if (s.kind() == SegmentInfo.Kind.UNREADABLE) {
            throw new CliException("cannot read segment: " + s.problem() + ", name=" + s.name() + ", mode=" + mode(s.fileMode())
                    + ", uid=" + s.ownerUid() + ", gid=" + s.ownerGid(), ExitCodes.PERMISSION);
        }
        return s;
    }

    /**
     * @param prefix a name prefix given on the command line, with or without its slash
     * @return the prefix with a leading slash; {@code /} matches every name
     */
    static String prefix(String prefix) {
        return prefix.isEmpty() || prefix.equals("/") ? "/" : SegmentNames.normalize(prefix);
    }

    /** @return an instant to the second, in UTC, or {@code -} */
    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @return {@code 0600}-style permission bits */
    static String mode(int mode) {
        return String.format("0%o", mode);
    }

    /** What a retained segment is, for people: why it is there and how it goes away. */
    static final String RETAINED = "kept on purpose by its last close (its retention condition held: a lossless ring keeps"
            + " the entries its registered readers have not read); the next load adopts it, ipcarc rm removes it";

    /** @return the STATE column: the header's state word, or {@code retained} for a ready segment its last close kept */
    static String state(SegmentInfo s) {
        return s.isRetained() ? "retained" : s.state();
    }

    /** @return the kind in lower case, such as {@code foreign} */
    static String kind(SegmentInfo s) {
        return s.kind().name().toLowerCase(Locale.ROOT);
    }

    /** @return holders as {@code PID[HANDLES]@START}, comma-separated, or {@code -} */
    static String holders(List<HolderInfo> holders) {
        if (holders.isEmpty()) {
            return "-";
        }
        return holders.stream().map(h -> h.pid() + "[" + h.handles() + "]@" + time(h.started()))
                .collect(Collectors.joining(","));
    }

    /** @return the segment as a JSON-ready map, fields in a stable order */
    static Map<String, Object> json(SegmentInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("kind", kind(s));
        m.put("problem", s.problem());
        m.put("inode", s.inode());
        m.put("fileSize", s.fileSize());
        m.put("mode", mode(s.fileMode()));
        m.put("uid", s.ownerUid());
        m.put("gid", s.ownerGid());
        m.put("state", s.state());
        m.put("type", s.descriptor());
        m.put("payloadSize", s.payloadSize());
        m.put("payloadMode", s.payloadMode());
        m.put("creatorPid", s.creatorPid());
        m.put("creatorAlive", s.creatorAlive());
        m.put("created", s.created() == null ? null : s.created().toString());
        m.put("refCount", s.refCount());
        m.put("liveHolders", s.liveHolders().stream().map(SegmentFormat::json).toList());
        m.put("deadHolders", s.deadHolders().stream().map(SegmentFormat::json).toList());
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("state", s.lock().state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        lock.put("pid", s.lock().pid());
        lock.put("tid", s.lock().tid());
        lock.put("repairPending", s.lock().repairPending());
        lock.put("deadOwnerPid", s.lock().deadOwnerPid());
        m.put("lock", lock);
        m.put("orphan", s.isOrphan());
        m.put("retained", s.isRetained());
        m.put("value", s.payload());
        // The same value as JSON data: numbers, strings, enum names, arrays, objects per record.
        m.put("data", s.payloadTree());
        return m;
    }

    private static Map<String, Object> json(HolderInfo h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", h.pid());
        m.put("startTicks", h.startTicks());
        m.put("started", h.started() == null ? null : h.started().toString());
        m.put("handles", h.handles());
        return m;
    }
}
