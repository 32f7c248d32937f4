package io.ipcarc.cli;

import io.ipcarc.IpcArcs;
import io.ipcarc.SegmentInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipcarc ls}: one line per segment. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"Lists the IpcArc segments of this host, one line each, read-only.",
            "HOLDERS and DEAD show PID[HANDLES]@START for each live or dead holder; LOCK is free,"
                + " held pid=P tid=T, owner-died pid=P tid=T or not-recoverable.",
            "STATE is ready, initializing, unlinked, or retained: ready with no holder, kept on purpose by its last close"
                + " (a lossless ring with unread entries); the next load adopts it, ipcarc rm removes it.",
            "TYPE is the payload's type descriptor; a map shows as map<KEY,VALUE>.",
            "Files of /dev/shm that are not IpcArc segments are shown only with --all, and never changed."})
final class LsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print a JSON array of objects, for scripts.")
    boolean json;

    @Option(names = {"-a", "--all"}, description = "Also list foreign files and files this user cannot read.")
    boolean all;

    @Mixin
    PrefixOption prefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String p = prefix.normalized();
        List<SegmentInfo> segments = IpcArcs.list(all).stream().filter(s -> s.name().startsWith(p)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(segments.stream().map(s -> {
                java.util.Map<String, Object> j = SegmentFormat.json(s);
                io.ipcarc.map.MapInspector.Inspection m = MapSection.isMap(s) ? MapSection.read(s, 0) : null;
                if (m != null) {
                    j.put("map", MapSection.summary(m));
                }
                return j;
            }).toList()));
        } else {
            table(segments).print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Table table(List<SegmentInfo> segments) {
        Table t = all ? new Table("NAME", "KIND", "TYPE", "SIZE", "STATE", "CREATOR", "CREATED", "REFS", "HOLDERS", "DEAD",
                "LOCK", "NOTE")
                : new Table("NAME", "TYPE", "SIZE", "STATE", "CREATOR", "CREATED", "REFS", "HOLDERS", "DEAD", "LOCK");
        for (SegmentInfo s : segments) {
            boolean seg = s.kind() == SegmentInfo.Kind.SEGMENT;
            String type = !seg ? "-" : MapSection.isMap(s) ? MapSection.type(s) : s.descriptor();
            String[] cells = {s.name(), type, seg ? String.valueOf(s.payloadSize()) : "-",
                seg ? SegmentFormat.state(s) : "-", seg ? String.valueOf(s.creatorPid()) : "-", SegmentFormat.time(s.created()),
                seg ? String.valueOf(s.refCount()) : "-", SegmentFormat.holders(s.liveHolders()),
                SegmentFormat.holders(s.deadHolders()), seg ? s.lock().describe() : "-"};
            if (all) {
                String[] wide = new String[cells.length + 2];
                wide[0] = cells[0];
                wide[1] = SegmentFormat.kind(s);
                System.arraycopy(cells, 1, wide, 2, cells.length - 1);
                wide[wide.length - 1] = s.problem() == null ? "" : s.problem();
                cells = wide;
            }
            t.add(cells);
        }
        return t;
    }
}
