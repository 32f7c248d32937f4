package io.ipcarc.cli;

import io.ipcarc.HolderInfo;
import io.ipcarc.SegmentInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipcarc inspect NAME}: the header field by field, the holders, the lock and the value. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows one segment: its header fields, holders, lock and value.",
            "The value is decoded from the type descriptor stored in the segment (no application class needed);"
                + " a map shows its stripes and its first keys and values (--limit).",
            "Read-only: takes no lock and writes nothing, so a value being written may show torn."})
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The segment name, with or without the leading slash.")
    String name;

    @Option(names = "--json", description = "Print a JSON object, for scripts.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "A map's keys to decode and show, at most (default: ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must not be negative: limit=" + limit);
        }
        SegmentInfo s = SegmentFormat.inspectReadable(name);
        PrintWriter out = spec.commandLine().getOut();
        io.ipcarc.map.MapInspector.Inspection map = MapSection.isMap(s) ? MapSection.read(s, limit) : null;
        if (json) {
            java.util.Map<String, Object> j = SegmentFormat.json(s);
            if (map != null) {
                j.put("map", MapSection.json(map));
            }
            out.println(Json.write(j));
        } else {
            text(s, out);
            if (map != null) {
                MapSection.text(map, out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(SegmentInfo s, PrintWriter out) {
        Table t = new Table("FIELD", "VALUE");
        t.add("name", s.name());
        t.add("kind", SegmentFormat.kind(s));
        t.add("file", "inode=" + s.inode() + " size=" + s.fileSize() + " mode=" + SegmentFormat.mode(s.fileMode())
                + " uid=" + s.ownerUid() + " gid=" + s.ownerGid());
        if (s.kind() != SegmentInfo.Kind.SEGMENT) {
            t.add("problem", s.problem());
            t.print(out);
            return;
        }
        t.add("state", s.state());
        t.add("type", s.descriptor());
        t.add("payload size", String.valueOf(s.payloadSize()));
        t.add("payload mode", s.payloadMode());
        t.add("created", SegmentFormat.time(s.created()));
        t.add("creator", "pid=" + s.creatorPid() + (s.creatorAlive() ? " (alive)" : " (gone)"));
        t.add("refcount", String.valueOf(s.refCount()));
        t.add("lock", s.lock().describe());
        t.add("orphan", s.isOrphan() ? "yes (every holder is dead: see ipcarc gc)" : "no");
        t.add("retained", s.isRetained() ? "yes: " + SegmentFormat.RETAINED : "no");
        t.add("value", s.payload() == null ? "-" : s.payload());
        t.print(out);
        out.println();
        Table h = new Table("HOLDER PID", "STARTED", "HANDLES", "STATUS");
        for (HolderInfo holder : s.holders()) {
            h.add(String.valueOf(holder.pid()), SegmentFormat.time(holder.started()), String.valueOf(holder.handles()),
                    holder.alive() ? "alive" : "dead");
        }
        h.print(out);
    }
}
