package io.ipcarc.testing;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.TornValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** {@link Child} commands that write and read values: records across processes, and the lock-free read() under a writer. */
final class ValueChild {
    private ValueChild() {
    }

    /** {@code write-sample NAME}: creates a segment holding {@link Records#sample()} and stays. */
    static void writeSample(String[] args) {
        IpcArc<Records.Sample> arc = IpcArc.create(args[1], Records.sample());
        System.out.println("CREATED");
        ChildIo.parkForever();
    }

    /** {@code read-sample NAME}: reads the sample, reports whether it equals {@link Records#sample()}, then writes another. */
    static void readSample(String[] args) {
        try (IpcArc<Records.Sample> arc = IpcArc.load(args[1], Records.Sample.class)) {
            Records.Sample s = arc.read();
            System.out.println("EQUAL " + s.equals(Records.sample()) + " " + s);
            try (Guard<Records.Sample> g = arc.acquire()) {
                g.set(new Records.Sample((byte) 1, new Records.Point(1, 1.5), new long[] {4, 3, 2, 1}, false, 'a', (short) 1));
            }
        }
        System.out.println("DONE");
    }

    /** {@code read-once NAME}: one lock-free read of an IpcArc&lt;Long&gt;; a torn raw value is reported, not returned. */
    static void readOnce(String[] args) {
        try (IpcArc<Long> arc = IpcArc.load(args[1], Long.class)) {
            System.out.println("READ " + arc.read());
        } catch (TornValueException e) {
            System.out.println("TORN " + e.getMessage());
        }
    }

    /**
     * {@code read-on-demand NAME,NAME,...}: loads the IpcArc&lt;Triple&gt; segments named, then
     * answers each line {@code READ k id} on stdin with {@code VALUE id a b c}: a lock-free read
     * of segment k.
     */
    static void readOnDemand(String[] args) {
        List<IpcArc<Records.Triple>> arcs = new ArrayList<>();
        for (String n : args[1].split(",")) {
            arcs.add(IpcArc.load(n, Records.Triple.class));
        }
        System.out.println("LOADED " + arcs.size());
        String line;
        while ((line = ChildIo.readLine()) != null) {
            String[] f = line.split(" ");
            if (f[0].equals("READ")) {
                Records.Triple t = arcs.get(Integer.parseInt(f[1])).read();
                System.out.println("VALUE " + f[2] + " " + t.a() + " " + t.b() + " " + t.c());
            }
        }
        arcs.forEach(IpcArc::close);
    }

    /**
     * {@code rewrite-triple NAME STOP_NAME [BURST_NANOS PAUSE_NANOS]}: rewrites the triple under
     * the lock, as fast as it can, until the stop segment holds 1; with {@code burstNanos > 0},
     * parks {@code pauseNanos} after each burst of that long, so that readers slower than a guard
     * (a Python process) find quiet moments between the bursts.
     */
    static void rewriteTriple(String[] args) {
        long burstNanos = args.length > 3 ? Long.parseLong(args[3]) : 0;
        long pauseNanos = args.length > 4 ? Long.parseLong(args[4]) : 0;
        long writes = 0;
        try (IpcArc<Records.Triple> arc = IpcArc.load(args[1], Records.Triple.class);
             IpcArc<Long> stop = IpcArc.load(args[2], Long.class)) {
            System.out.println("WRITING");
            System.out.flush();
            long burstStart = System.nanoTime();
            while ((writes & 1023) != 0 || stop.read() == 0L) {
                writes++;
                try (Guard<Records.Triple> g = arc.acquire()) {
                    g.set(Records.Triple.of(writes));
                }
                if (burstNanos > 0 && System.nanoTime() - burstStart > burstNanos) {
                    LockSupport.parkNanos(pauseNanos);
                    burstStart = System.nanoTime();
                }
            }
        }
        System.out.println("WROTE " + writes);
    }

    /** {@code read-triple NAME COUNT MILLIS}: calls the lock-free read() up to COUNT times or for MILLIS, and reports broken snapshots. */
    static void readTriple(String[] args) {
        long count = Long.parseLong(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000L;
        long reads = 0;
        long broken = 0;
        long changes = 0;
        try (IpcArc<Records.Triple> arc = IpcArc.load(args[1], Records.Triple.class)) {
            long last = -1;
            // at least count reads and enough changes to have overlapped the writer, but never past the deadline
            while ((reads < count || changes < 1000) && ((reads & 1023) != 0 || System.nanoTime() < deadline)) {
                Records.Triple t = arc.read();
                reads++;
                if (!t.consistent() && broken++ < 5) {
                    System.out.println("BROKEN " + t);
                }
                if (t.a() != last) {
                    changes++;
                    last = t.a();
                }
            }
        }
        System.out.println("DONE reads=" + reads + " broken=" + broken + " changes=" + changes);
    }
}
