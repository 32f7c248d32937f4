package io.ipcarc.examples;

import io.ipcarc.IpcArcException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.WaitStrategy;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code reporter ID [--name ...] [--out DIR] [--wait block|backoff|spin|yield|sleep] [--from oldest|latest] [--release]}:
 * follows the ring as reader ID and appends every entry to {@code DIR/output_ID.csv}, exactly once
 * across kills and restarts.
 */
final class ReporterApp {
    static final String USAGE = "reporter ID(0-7) [--name /rpt_sys_shm] [--out DIR (default .)] [--wait block|backoff|spin|yield|sleep (default block)]"
            + " [--from oldest|latest] [--release]";
    private static final int BATCH = 4096;

    private ReporterApp() {
    }

    static int run(String[] args) {
        Options o = new Options(args, Set.of("--name", "--out", "--wait", "--from"), Set.of("--release"));
        if (o.positional().size() != 1) {
            throw new Options.UsageException("reporter needs exactly one ID; usage: " + USAGE);
        }
        int id;
        try {
            id = Integer.parseInt(o.positional().get(0));
        } catch (NumberFormatException e) {
            throw new Options.UsageException("reporter ID must be a number from 0 to 7: ID=" + o.positional().get(0));
        }
        if (id < 0 || id > 7) {
            throw new Options.UsageException("reporter ID must be from 0 to 7: ID=" + id + "; usage: " + USAGE);
        }
        String name = o.get("--name", "/rpt_sys_shm");
        Path out = Path.of(o.get("--out", "."));
        WaitStrategy wait;
        Ring.StartFrom from;
        try {
            wait = WaitStrategy.parse(o.get("--wait", "block"));
            from = Ring.StartFrom.valueOf(o.get("--from", "oldest").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException(e.getMessage() + "; usage: " + USAGE);
        }
        String who = "reporter " + id;
        Signals.install();
        Ring ring = awaitRing(name, who);
        if (ring == null) {
            return 0;
        }
        try (ring) {
            if (o.flag("--release")) {
                ring.releaseReader(id);
                System.err.println(who + ": released reader slot " + id + " of " + name);
                return 0;
            }
            return follow(ring, id, out, wait, from, who);
        } catch (IpcArcException e) {
            System.err.println(who + ": error: " + e.getMessage());
            return 1;
        }
    }

    private static Ring awaitRing(String name, String who) {
        boolean told = false;
        while (Signals.running()) {
            try {
                return Ring.open(name);
            } catch (SegmentNotFoundException e) {
                if (!told) {
                    System.err.println(who + ": waiting for the writer's segment " + name + " ...");
                    told = true;
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }
        return null;
    }

    private static int follow(Ring ring, int id, Path outDir, WaitStrategy wait, Ring.StartFrom from, String who) {
        try (RingReader reader = ring.claimReader(id, from);
             CsvOutput csv = CsvOutput.open(outDir, id, ring.ringId(), ring.name())) {
            if (csv.movedAside() != null) {
                System.err.println(who + ": output came from another ring; moved it aside to " + csv.movedAside());
            }
            long stored = reader.position();
            if (csv.lastSeq() >= 0) {
                reader.seek(csv.lastSeq() + 1);
            }
            reader.commit();
            System.err.printf("%s: ring=%s name=%s resuming at seq=%d (stored=%d, file ends at %d), output=%s%n", who,
                    HexFormat.of().toHexDigits(ring.ringId()), ring.name(), reader.position(), stored, csv.lastSeq(), csv.path());
            long[] bad = {0};
            RingReader.EntryHandler handler = (seq, e) -> {
                String fault = Tick.check(seq, e);
                if (fault != null) {
                    bad[0]++;
                    System.err.println(who + ": BAD ENTRY seq=" + seq + ": " + fault);
                }
                csv.append(seq, e);
            };
            RingReader.LossListener losses = (a, b) -> System.err.printf("%s: LOST seq %d..%d (%d entries): the writer overwrote them%n",
                    who, a, b - 1, b - a);
            long nextStatus = System.nanoTime() + 1_000_000_000L;
            long lastPos = reader.position();
            long lastT = System.nanoTime();
            int idle = 0;
            while (Signals.running()) {
                long before = reader.position();
                int n = reader.poll(handler, losses, BATCH);
                if (reader.position() != before) {
                    csv.flush();
                    reader.commit();
                    idle = 0;
                } else {
                    reader.idle(wait, idle++);
                }
                if (n == 0 || (reader.position() & 0xfff) < BATCH) {
                    long now = System.nanoTime();
                    if (now - nextStatus >= 0) {
                        System.err.printf("%s: next=%d rate=%,.0f/s lag=%d lost=%d%n", who, reader.position(),
                                (reader.position() - lastPos) / ((now - lastT) / 1e9), reader.lag(), reader.lost());
                        lastPos = reader.position();
                        lastT = now;
                        nextStatus = now + 1_000_000_000L;
                    }
                }
            }
            csv.flush();
            reader.commit();
            System.err.printf("%s: stopped at seq=%d, lost=%d, bad=%d; slot kept (detached) for a restart%n", who,
                    reader.position(), reader.lost(), bad[0]);
            return bad[0] == 0 ? 0 : 1;
        }
    }
}
