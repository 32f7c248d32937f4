package io.ipcarc.cli;

import io.ipcarc.IpcArcs;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInUseException;
import io.ipcarc.SegmentInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipcarc rm NAME}: unlinks one segment, refusing while it has live holders. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Unlinks one IpcArc segment; refuses while live processes hold it, unless --force.",
            "Files that are not IpcArc segments are never removed, nor a name replaced since it was inspected."})
final class RmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The segment name, with or without the leading slash.")
    String name;

    @Option(names = "--force", description = "Remove even while live processes hold it; they keep their mapping"
            + " until they close, and new loads no longer find it.")
    boolean force;

    @Spec
    CommandSpec spec;

    /** The library's hint names both ways to force a removal; on this command line the option is the one. */
    private static final String LIBRARY_HINT = " (force=true, or ipcarc rm --force, removes it anyway)";

    @Override
    public Integer call() {
        SegmentInfo s = SegmentFormat.inspectReadable(name);
        if (s.kind() != SegmentInfo.Kind.SEGMENT) {
            throw new CliException("not an IpcArc segment, never removed: name=" + s.name() + ", problem=" + s.problem(),
                    ExitCodes.REFUSED);
        }
        Removal r;
        try {
            r = IpcArcs.remove(s, force);
        } catch (SegmentInUseException e) {
            throw new CliException(withOptionHint(e.getMessage()), ExitCodes.REFUSED);
        }
        switch (r) {
            case REMOVED -> {
                PrintWriter out = spec.commandLine().getOut();
                int live = s.liveHolders().size();
                out.println("removed " + s.name() + (live > 0 ? " (forced: " + live + " live holders keep their mapping)" : ""));
                out.flush();
                return ExitCodes.OK;
            }
            case GONE -> throw new CliException("segment not found: removed meanwhile: name=" + s.name(), ExitCodes.NOT_FOUND);
            default -> throw new CliException("name now refers to another object than the one inspected, not removed: name="
                    + s.name(), ExitCodes.REFUSED);
        }
    }

    /**
     * The library's refusal as this command says it: {@code ... pids=[...] (ipcarc rm --force removes
     * it anyway)}.
     *
     * @param message a {@link SegmentInUseException}'s message
     * @return the message with the command's own hint
     */
    static String withOptionHint(String message) {
        return message.endsWith(LIBRARY_HINT)
                ? message.substring(0, message.length() - LIBRARY_HINT.length()) + " (ipcarc rm --force removes it anyway)"
                : message;
    }
}
