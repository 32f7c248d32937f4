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

/** {@code ipcarc gc}: lists orphans, and removes them with {@code --remove}. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Lists orphans (segments whose holders all died); --remove unlinks them.",
            "An orphan is a ready segment whose holders were all killed without closing it,",
            "or a segment abandoned half-way: its creator died before it was ready (state initializing),",
            "or its last closer died before unlinking it (state unlinked).",
            "Their data may still matter (the next load adopts them), so nothing is removed without --remove.",
            "A segment that has a live holder is never removed; foreign files are never touched.",
            "Retained segments (ready, no holder, kept on purpose by their last close: a lossless ring keeps the entries",
            "its registered readers have not read) are not orphans: listed apart, never removed by gc; ipcarc rm NAME removes one."})
final class GcCommand implements Callable<Integer> {
    @Option(names = "--remove", description = "Unlink the orphans and print what was removed.")
    boolean remove;

    @Mixin
    PrefixOption prefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String p = prefix.normalized();
        PrintWriter out = spec.commandLine().getOut();
        List<SegmentInfo> orphans = remove ? IpcArcs.removeOrphans(p) : IpcArcs.orphans(p);
        if (orphans.isEmpty()) {
            out.println(remove ? "no orphans removed" : "no orphans");
        } else if (remove) {
            for (SegmentInfo s : orphans) {
                out.println("removed " + s.name() + " type=" + s.descriptor() + " deadHolders="
                        + SegmentFormat.holders(s.deadHolders()) + abandoned(s, " "));
            }
        } else {
            Table t = new Table("ORPHAN", "TYPE", "CREATED", "DEAD", "VALUE");
            for (SegmentInfo s : orphans) {
                String value = "ready".equals(s.state()) ? (s.payload() == null ? "-" : s.payload()) : abandoned(s, "");
                t.add(s.name(), s.descriptor(), SegmentFormat.time(s.created()), SegmentFormat.holders(s.deadHolders()), value);
            }
            t.print(out);
        }
        retained(p, out);
        out.flush();
        return ExitCodes.OK;
    }

    /** Lists the retained segments (after a removal, as kept), so that they are not mistaken for forgotten ones. */
    private void retained(String p, PrintWriter out) {
        List<SegmentInfo> kept = IpcArcs.list(false).stream().filter(s -> s.name().startsWith(p)).filter(SegmentInfo::isRetained)
                .toList();
        if (kept.isEmpty()) {
            return;
        }
        if (remove) {
            for (SegmentInfo s : kept) {
                out.println("kept " + s.name() + " type=" + s.descriptor() + " (retained: ipcarc rm " + s.name() + " removes it)");
            }
            return;
        }
        out.println();
        Table t = new Table("RETAINED", "TYPE", "CREATED", "VALUE");
        for (SegmentInfo s : kept) {
            t.add(s.name(), s.descriptor(), SegmentFormat.time(s.created()), s.payload() == null ? "-" : s.payload());
        }
        t.print(out);
        out.println("retained: " + SegmentFormat.RETAINED);
    }

    /** @return why a segment that never became ready, or was half unlinked, is an orphan; "" for a ready one */
    private static String abandoned(SegmentInfo s, String lead) {
        return switch (s.state()) {
            case "initializing" -> lead + "(abandoned: creator " + s.creatorPid() + " died before it was ready)";
            case "unlinked" -> lead + "(abandoned: its last closer died before unlinking it)";
            default -> "";
        };
    }
}
