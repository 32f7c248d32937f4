package io.ipcarc.cli;

import io.ipcarc.IpcArcs;
import io.ipcarc.SegmentInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipcarc top}: a live view of the segments and rings, refreshed every interval. */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"Shows the IpcArc segments and rings live, refreshed every second, read-only (like ls and inspect).",
            "Segments: type, payload size, refcount, live holders (+ when dead ones await reaping), and the lock: its holder's"
                + " pid and how long top has seen that thread hold it. Rings: the write position and rate, the writer, and per"
                + " registered reader its state, pid, position, rate, lag and losses (<= marks an upper bound, by at most a"
                + " block of the write pointer, for rings too large to read whole).",
            "In a terminal, keys: n r s l w sort by name, refcount, size, lag, write rate; q quits (so does Ctrl-C). The"
                + " screen fits the terminal (80x24 and up). Not in a terminal (a pipe, a file), or with --json, --once or"
                + " --count: one snapshot per interval, plain text without escape codes, the first after one interval (so"
                + " that rates are known)."})
final class TopCommand implements Callable<Integer> {
    /** The longest interval: an hour. */
    private static final double MAX_INTERVAL = 3600;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between refreshes, and over which rates are measured; more than 0, at most 3600 (default: 1).")
    double interval;

    @Option(names = "--once", description = "Print one snapshot after one interval and exit (for scripts).")
    boolean once;

    @Option(names = "--json", description = "Print JSON: with --once one document; otherwise one document per line per interval.")
    boolean json;

    @Option(names = "--count", paramLabel = "N", description = "Print N snapshots, one per interval, and exit.")
    Integer count;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "name",
            description = "The order of the rows: name, refs, size, lag or rate (default: ${DEFAULT-VALUE}).")
    TopSort sort;

    @Mixin
    PrefixOption prefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!(interval > 0 && interval <= MAX_INTERVAL)) {
            throw usage("--interval must be more than 0 and at most 3600 seconds: interval=" + interval);
        }
        if (count != null && count < 1) {
            throw usage("--count must be at least 1: count=" + count);
        }
        if (once && count != null && count != 1) {
            throw usage("--once prints one snapshot, --count asks for more: count=" + count);
        }
        String p = prefix.normalized();
        long intervalNanos = (long) (interval * 1e9);
        PrintWriter out = spec.commandLine().getOut();
        TopTracker tracker = new TopTracker();
        if (!once && !json && count == null && Terminal.stdoutIsTerminal()) {
            return live(tracker, p, intervalNanos, out);
        }
        int n = once ? 1 : count == null ? Integer.MAX_VALUE : count;
        sample(tracker, p); // rates are measured from here
        long next = System.nanoTime() + intervalNanos;
        for (int i = 0; i < n; i++) {
            parkUntil(next);
            next += intervalNanos;
            TopView v = sample(tracker, p);
            if (json) {
                out.println(once ? Json.write(TopJson.of(v)) : Json.writeLine(TopJson.of(v)));
            } else {
                if (i > 0) {
                    out.println();
                }
                TopScreen.lines(v, sort, false, Integer.MAX_VALUE, Integer.MAX_VALUE).forEach(out::println);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** The live screen: redrawn every interval and on every key that changes the order, until q. */
    private int live(TopTracker tracker, String p, long intervalNanos, PrintWriter out) throws InterruptedException {
        try (Terminal t = Terminal.open(out)) {
            TopView v = sample(tracker, p);
            long next = System.nanoTime() + intervalNanos;
            while (true) {
                int[] size = t.size();
                t.draw(TopScreen.lines(v, sort, true, size[1], size[0]));
                Integer key = t.key(next - System.nanoTime());
                if (key != null) {
                    if (key == 'q' || key == 'Q' || key == -1) {
                        return ExitCodes.OK;
                    }
                    TopSort chosen = TopSort.ofKey(key);
                    sort = chosen != null ? chosen : sort;
                    continue; // redraw at once, same data
                }
                v = sample(tracker, p);
                next = Math.max(next + intervalNanos, System.nanoTime());
            }
        }
    }

    private static TopView sample(TopTracker tracker, String p) {
        List<SegmentInfo> segments = IpcArcs.list().stream().filter(s -> s.name().startsWith(p)).toList();
        return tracker.next(segments, Instant.now(), System.nanoTime());
    }

    private static void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
