package io.ipcarc.bench.xproc;

import io.ipcarc.bench.Floors;
import io.ipcarc.bench.SvgChart;
import io.ipcarc.IpcArc;
import io.ipcarc.examples.Main;
import io.ipcarc.examples.Tick;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the ring's cross-process measurements (throughput against Agrona and Unix-domain
 * sockets, ping-pong round trips, end to end, reporter CPU) in separate JVMs, renders them as
 * Markdown, and checks the floors against figures of the same run.
 */
public final class XprocSuite {
    private final boolean smoke;
    private final int reps;
    private final String only;
    private final StringBuilder md = new StringBuilder();

    private final java.util.Map<String, Rate> rates = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, long[]> latencies = new java.util.LinkedHashMap<>();

    /**
     * @param smoke a run of seconds that only proves the harness works
     * @param reps repetitions of each throughput measurement
     * @param only a section to run alone ({@code throughput}, {@code pingpong}, {@code e2e}, {@code idle}), or null
     */
    public XprocSuite(boolean smoke, int reps, String only) {
        this.smoke = smoke;
        this.reps = reps;
        this.only = only;
    }

    private boolean selected(String section) {
        return only == null || section.startsWith(only);
    }

    /** One throughput figure: the median of the repetitions, with their range. */
    record Rate(double median, double min, double max, long lost, long bad) {
        String cell() {
            return String.format(Locale.ROOT, "%,.0f (%,.0f – %,.0f)", median, min, max);
        }
    }

    /**
     * Runs the selected sections.
     *
     * @return the Markdown of the sections
     * @throws IOException if a temporary file cannot be handled
     */
    public String run() throws IOException {
        long n = smoke ? 100_000 : 3_000_000;
        if (selected("throughput")) {
            throughput(n);
        }
        if (selected("pingpong")) {
            pingPongs();
        }
        if (selected("e2e")) {
            endToEnds();
        }
        if (selected("idle")) {
            idleCost();
        }
        return md.toString();
    }

    private void throughput(long n) throws IOException {
        md.append("### Ring throughput (separate JVMs, 64-byte records, ").append(String.format("%,d", n))
                .append(" messages, ").append(reps).append(" runs each: median (min – max) messages/s)\n\n");
        md.append("Buffers: ").append(XprocMain.ringCapacity()).append(" entries (1 MiB) for every transport. Idle readers spin 100 rounds, then yield.\n\n");
        md.append("| transport | readers | messages/s | lost | bad |\n|---|---:|---:|---:|---:|\n");
        for (int readers : new int[] {1, 2, 4}) {
            row("IpcArc ring, lossless", readers, repeat(() -> ring(readers, n, true)));
        }
        for (int readers : new int[] {1, 2, 4}) {
            row("IpcArc ring, lossy", readers, repeat(() -> ring(readers, n, false)));
        }
        row("Agrona OneToOneRingBuffer", 1, repeat(() -> agronaO2o(n)));
        for (int readers : new int[] {1, 2, 4}) {
            row("Agrona BroadcastTransmitter/Receiver (lossy)", readers, repeat(() -> agronaBroadcast(readers, n)));
        }
        row("Unix-domain SocketChannel, one write per message", 1, repeat(() -> uds(smoke ? n : n / 5, 1)));
        row("Unix-domain SocketChannel, 64 KiB writes (1024 messages each)", 1, repeat(() -> uds(n, 1024)));
    }

    private void pingPongs() {
        md.append("\n### Ping-pong round trip of a 64-byte message between two JVMs (ns)\n\n");
        md.append("| transport | wait | round trips | p50 | p90 | p99 | p99.9 | max | mean |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        long k = smoke ? 2_000 : 200_000;
        pp("IpcArc ring", "spin", ringPingPong("spin", k / 5, k));
        pp("IpcArc ring", "block (futex)", ringPingPong("block", k / 20, k / 4));
        pp("IpcArc ring", "backoff", ringPingPong("backoff", k / 20, k / 4));
        long idle = smoke ? 200 : 4_000;
        pp("IpcArc ring", "block, echo asleep in the futex for every message (pinger spins)",
                ringPingPong("block-sleep", "spin", k / 40, k / 8, 0));
        pp("IpcArc ring", "block, echo idle (1 ms between messages; pinger spins)",
                ringPingPong("block", "spin", idle / 10, idle, 1_000_000L));
        pp("IpcArc ring", "backoff, echo idle (1 ms between messages; pinger spins)",
                ringPingPong("backoff", "spin", idle / 10, idle, 1_000_000L));
        pp("IpcArc<Long> guard + set", "awaitChange (futex)", arcPingPong(k / 20, k / 4, 0));
        pp("IpcArc<Long> guard + set", "awaitChange, echo idle (1 ms between messages)", arcPingPong(idle / 10, idle, 1_000_000L));
        pp("IpcArc ring", "sleep 1 ms (seed)", ringPingPong("sleep", smoke ? 20 : 200, smoke ? 100 : 2_000));
        pp("Agrona OneToOneRingBuffer", "spin", agronaPingPong(k / 5, k));
        try {
            pp("Unix-domain SocketChannel", "blocking read", udsPingPong(k / 10, k / 2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void endToEnds() throws IOException {
        md.append("\n### End to end: `writer --rate 0 --lossless` feeding two CSV reporters (separate JVMs)\n\n");
        md.append("| ring capacity | entries | entries/s (median, min – max) | CSVs verified |\n|---:|---:|---:|---|\n");
        long e2eN = smoke ? 100_000 : 3_000_000;
        for (int cap : new int[] {1024, 65_536}) {
            boolean[] verified = {true};
            Rate r = repeat(() -> {
                double[] res = endToEnd(cap, e2eN);
                verified[0] &= res[1] == 1;
                return new double[] {res[0], 0, 0};
            });
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %s | %s |%n", cap, e2eN, r.cell(), verified[0] ? "yes" : "NO"));
            rates.put("e2e/" + cap, verified[0] ? r : new Rate(0, 0, 0, 0, 1));
            System.err.printf("xproc: end to end capacity=%d: %s entries/s verified=%s%n", cap, r.cell(), verified[0]);
        }
    }

    /**
     * The floors for the ring, from this run's figures.
     *
     * @return one verdict per floor; "not measured" where a section did not run
     */
    public List<Floors.Floor> floors() {
        List<Floors.Floor> out = new ArrayList<>();
        out.add(atLeast("ring throughput >= Agrona's, 1 reader (lossless ring vs OneToOneRingBuffer)",
                rates.get("IpcArc ring, lossless/1"), rates.get("Agrona OneToOneRingBuffer/1")));
        out.add(atLeast("ring throughput >= Agrona's, 4 readers (lossy ring vs BroadcastReceiver)",
                rates.get("IpcArc ring, lossy/4"), rates.get("Agrona BroadcastTransmitter/Receiver (lossy)/4")));
        long[] spin = latencies.get("IpcArc ring/spin");
        long[] uds = latencies.get("Unix-domain SocketChannel/blocking read");
        long[] block = latencies.get("IpcArc ring/block, echo asleep in the futex for every message (pinger spins)");
        long[] blockGap = latencies.get("IpcArc ring/block, echo idle (1 ms between messages; pinger spins)");
        out.add(spin == null ? missing("ping-pong p50 <= 1 us with spin")
                : new Floors.Floor("ping-pong p50 <= 1 us with spin", "p50 = " + fmt(spin[1]) + " ns", spin[1] <= 1_000 ? "met" : "MISSED"));
        out.add(spin == null || uds == null ? missing("ping-pong p50 >= 20x lower than the Unix-domain socket")
                : new Floors.Floor("ping-pong p50 >= 20x lower than the Unix-domain socket", String.format(Locale.ROOT,
                "socket p50 / ring spin p50 = %,d / %,d = %.1fx", uds[1], spin[1], (double) uds[1] / spin[1]),
                uds[1] >= 20 * spin[1] ? "met" : "MISSED"));
        out.add(block == null ? missing("block wake-up p50 <= 50 us with the waiting process idle")
                : new Floors.Floor("block wake-up p50 <= 50 us with the waiting process idle",
                "round trip p50 = " + fmt(block[1]) + " ns with the echo process asleep in the futex for every message"
                + " (one wake-up per round trip)" + (blockGap == null ? "" : "; after 1 ms of idleness, when this VM has"
                + " also halted the idle CPU, p50 = " + fmt(blockGap[1]) + " ns"),
                block[1] <= 50_000 ? "met" : "MISSED"));
        Rate e2e = rates.get("e2e/1024");
        out.add(e2e == null ? missing("end to end with two CSV reporters >= 1,000,000 entries/s")
                : new Floors.Floor("end to end with two CSV reporters >= 1,000,000 entries/s (ring capacity 1024)",
                String.format(Locale.ROOT, "%,.0f entries/s (median)", e2e.median()), e2e.median() >= 1_000_000 ? "met" : "MISSED"));
        return out;
    }

    private static Floors.Floor atLeast(String floor, Rate ours, Rate theirs) {
        if (ours == null || theirs == null) {
            return missing(floor);
        }
        return new Floors.Floor(floor, String.format(Locale.ROOT, "%,.0f vs %,.0f messages/s (medians) = %.2fx", ours.median(),
                theirs.median(), ours.median() / theirs.median()), ours.median() >= theirs.median() ? "met" : "MISSED");
    }

    private static Floors.Floor missing(String floor) {
        return new Floors.Floor(floor, "not measured in this run", "not measured");
    }

    private static String fmt(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** @return throughput medians as chart bars, messages/s */
    public List<SvgChart.Bar> throughputBars() {
        List<SvgChart.Bar> bars = new ArrayList<>();
        rates.forEach((k, r) -> {
            if (!k.startsWith("e2e/")) {
                bars.add(new SvgChart.Bar(k.replace("/", ", readers="), r.median(), Double.NaN, !k.startsWith("IpcArc")));
            }
        });
        return bars;
    }

    /** @return ping-pong p50 and p99 as chart bars, ns */
    public List<SvgChart.Bar> latencyBars() {
        List<SvgChart.Bar> bars = new ArrayList<>();
        latencies.forEach((k, r) -> {
            bars.add(new SvgChart.Bar(k.replace("/", ", ") + " p50", r[1], Double.NaN, !k.startsWith("IpcArc")));
            bars.add(new SvgChart.Bar(k.replace("/", ", ") + " p99", r[3], Double.NaN, !k.startsWith("IpcArc")));
        });
        return bars;
    }

    interface Run {
        double[] once() throws IOException;
    }

    private Rate repeat(Run run) throws IOException {
        double[] rates = new double[reps];
        long lost = 0;
        long bad = 0;
        for (int i = 0; i < reps; i++) {
            double[] r = run.once();
            rates[i] = r[0];
            lost += (long) r[1];
            bad += (long) r[2];
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new Rate(sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], lost / reps, bad);
    }

    private void row(String transport, int readers, Rate r) {
        rates.put(transport + "/" + readers, r);
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,d | %d |%n", transport, readers, r.cell(), r.lost(), r.bad()));
        System.err.printf("xproc: %s, readers=%d: %s msgs/s lost=%d bad=%d%n", transport, readers, r.cell(), r.lost(), r.bad());
    }

    private void pp(String transport, String mode, long[] r) {
        latencies.put(transport + "/" + mode, r);
        md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d |%n", transport, mode, r[0], r[1], r[2],
                r[3], r[4], r[5], r[6]));
        System.err.printf("xproc: ping-pong %s %s: p50=%d ns p99=%d ns%n", transport, mode, r[1], r[3]);
    }

    /** Starts readers, then the writer, and computes messages/s from the writer's START to the last reader's END. */
    private static double[] measure(List<List<String>> readerArgs, List<String> writerArgs, long n, Runnable afterReady) {
        List<Spawn> readers = new ArrayList<>();
        try {
            for (List<String> a : readerArgs) {
                Spawn s = Spawn.start(XprocMain.class, a.toArray(String[]::new));
                readers.add(s);
            }
            for (Spawn s : readers) {
                s.await("READY", 120);
            }
            afterReady.run();
            try (Spawn w = Spawn.start(XprocMain.class, writerArgs.toArray(String[]::new))) {
                long t0 = Long.parseLong(w.await("START", 120).split(" ")[1]);
                long t1 = 0;
                long lost = 0;
                long bad = 0;
                double readerCpu = 0;
                double readerAlloc = 0;
                for (Spawn s : readers) {
                    String[] end = s.await("END", 600).split(" ");
                    t1 = Math.max(t1, Long.parseLong(end[1]));
                    lost += Long.parseLong(end[3]);
                    bad += Long.parseLong(end[4]);
                    readerAlloc = Math.max(readerAlloc, Double.parseDouble(end[5]) / n);
                    readerCpu += Double.parseDouble(end[6]) / n / readers.size();
                }
                String[] done = w.await("DONE", 600).split(" ");
                double writerAlloc = Double.parseDouble(done[2]) / n;
                double writerCpu = Double.parseDouble(done[3]) / n;
                System.err.printf(Locale.ROOT, "xproc:   cpu ns/msg writer %.1f readers %.1f; allocated B/msg writer %.3f readers %.3f%n",
                        writerCpu, readerCpu, writerAlloc, readerAlloc);
                return new double[] {n * 1e9 / (t1 - t0), (double) lost / readers.size(), bad, writerCpu, readerCpu, writerAlloc,
                    readerAlloc};
            }
        } finally {
            readers.forEach(Spawn::close);
        }
    }

    private static double[] ring(int readers, long n, boolean lossless) {
        String name = XprocMain.uniqueName("ring");
        try (Ring<byte[]> ring = XprocMain.createRing(name, XprocMain.ringCapacity())) {
            List<List<String>> rs = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                rs.add(XprocMain.list("ring-reader", name, String.valueOf(i), String.valueOf(n)));
            }
            return measure(rs, XprocMain.list("ring-writer", name, String.valueOf(n), String.valueOf(lossless)), n,
                    () -> XprocMain.awaitActive(ring, readers));
        }
    }

    private static double[] agronaO2o(long n) {
        try (XprocMain.ShmFileArea f = new XprocMain.ShmFileArea("o2o", XprocMain.o2oBytes())) {
            return measure(List.of(XprocMain.list("o2o-reader", f.path(), String.valueOf(n))),
                    XprocMain.list("o2o-writer", f.path(), String.valueOf(n)), n, () -> { });
        }
    }

    private static double[] agronaBroadcast(int readers, long n) {
        try (XprocMain.ShmFileArea f = new XprocMain.ShmFileArea("bcast", XprocMain.broadcastBytes())) {
            List<List<String>> rs = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                rs.add(XprocMain.list("bcast-reader", f.path(), String.valueOf(n)));
            }
            return measure(rs, XprocMain.list("bcast-writer", f.path(), String.valueOf(n)), n, () -> { });
        }
    }

    private static double[] uds(long n, int batch) throws IOException {
        Path sock = Path.of(System.getProperty("java.io.tmpdir"), "ipcarc-bench-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(sock);
        try {
            return measure(List.of(XprocMain.list("uds-reader", sock.toString(), String.valueOf(n))),
                    XprocMain.list("uds-writer", sock.toString(), String.valueOf(n), String.valueOf(batch)), n, () -> { });
        } finally {
            Files.deleteIfExists(sock);
        }
    }

    private static long[] pingPong(List<String> echo, List<String> ping) {
        try (Spawn e = Spawn.start(XprocMain.class, echo.toArray(String[]::new))) {
            e.await("READY", 120);
            try (Spawn p = Spawn.start(XprocMain.class, ping.toArray(String[]::new))) {
                String[] r = p.await("RESULT", 900).split(" ");
                long[] out = new long[7];
                for (int i = 0; i < 7; i++) {
                    out[i] = (long) Double.parseDouble(r[i + 1]);
                }
                return out;
            }
        }
    }

    private static long[] ringPingPong(String mode, long warm, long total) {
        return ringPingPong(mode, mode, warm, total, 0);
    }

    private static long[] ringPingPong(String echoMode, String pingMode, long warm, long total, long gapNanos) {
        String ab = XprocMain.uniqueName("pp-ab");
        String ba = XprocMain.uniqueName("pp-ba");
        try (Ring<byte[]> a = XprocMain.createRing(ab, 1024); Ring<byte[]> b = XprocMain.createRing(ba, 1024)) {
            return pingPong(XprocMain.list("pp-ring-echo", ab, ba, echoMode, String.valueOf(total)),
                    XprocMain.list("pp-ring-ping", ab, ba, pingMode, String.valueOf(warm), String.valueOf(total),
                            String.valueOf(gapNanos)));
        }
    }

    private static long[] arcPingPong(long warm, long total, long gapNanos) {
        String ab = XprocMain.uniqueName("pp-arc-ab");
        String ba = XprocMain.uniqueName("pp-arc-ba");
        try (IpcArc<Long> a = IpcArc.create(ab, -1L); IpcArc<Long> b = IpcArc.create(ba, -1L)) {
            return pingPong(XprocMain.list("pp-arc-echo", ab, ba, String.valueOf(total)),
                    XprocMain.list("pp-arc-ping", ab, ba, String.valueOf(warm), String.valueOf(total), String.valueOf(gapNanos)));
        }
    }

    private static long[] agronaPingPong(long warm, long total) {
        try (XprocMain.ShmFileArea ab = new XprocMain.ShmFileArea("pp-ab", XprocMain.o2oBytes());
             XprocMain.ShmFileArea ba = new XprocMain.ShmFileArea("pp-ba", XprocMain.o2oBytes())) {
            return pingPong(XprocMain.list("pp-agrona-echo", ab.path(), ba.path(), String.valueOf(total)),
                    XprocMain.list("pp-agrona-ping", ab.path(), ba.path(), String.valueOf(warm), String.valueOf(total)));
        }
    }

    private static long[] udsPingPong(long warm, long total) throws IOException {
        Path sock = Path.of(System.getProperty("java.io.tmpdir"), "ipcarc-bench-pp-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(sock);
        try {
            return pingPong(XprocMain.list("pp-uds-echo", sock.toString(), String.valueOf(total)),
                    XprocMain.list("pp-uds-ping", sock.toString(), String.valueOf(warm), String.valueOf(total)));
        } finally {
            Files.deleteIfExists(sock);
        }
    }

    /**
     * CPU used by a reporter that follows a writer publishing 1,000 entries/s, per wait strategy:
     * what an idle-most-of-the-time reporter costs.
     */
    private void idleCost() throws IOException {
        md.append("\n### Reporter CPU while following a writer at 1,000 entries/s (CSV output)\n\n");
        md.append("| wait strategy | measured for | CPU time | CPU share of one core | entries written |\n|---|---:|---:|---:|---:|\n");
        long seconds = smoke ? 2 : 8;
        for (String strategy : new String[] {"backoff", "block", "sleep"}) {
            String name = XprocMain.uniqueName("idle-" + strategy);
            Path dir = Files.createTempDirectory("ipcarc-bench-idle-");
            try (Ring<byte[]> ring = XprocMain.createRing(name, 1024);
                 Spawn reporter = Spawn.start(Main.class, "reporter", "0", "--name", name, "--out", dir.toString(), "--wait", strategy)) {
                XprocMain.awaitActive(ring, 1);
                try (Spawn writer = Spawn.start(Main.class, "writer", "--name", name, "--rate", "1000")) {
                    LockSupport.parkNanos(2_000_000_000L); // warm-up
                    long cpu0 = cpuNanos(reporter.pid());
                    long t0 = System.nanoTime();
                    long p0 = ring.readerPosition(0);
                    LockSupport.parkNanos(seconds * 1_000_000_000L);
                    long cpu = cpuNanos(reporter.pid()) - cpu0;
                    long wall = System.nanoTime() - t0;
                    long entries = ring.readerPosition(0) - p0;
                    md.append(String.format(Locale.ROOT, "| %s | %.1f s | %.0f ms | %.1f %% | %,d |%n", strategy, wall / 1e9, cpu / 1e6,
                            100.0 * cpu / wall, entries));
                    System.err.printf("xproc: idle cost %s: %.0f ms CPU in %.1f s%n", strategy, cpu / 1e6, wall / 1e9);
                    writer.terminate();
                    writer.awaitExit(60);
                }
                reporter.terminate();
                reporter.awaitExit(60);
            } finally {
                XprocMain.deleteTree(dir);
            }
        }
    }

    /** utime + stime of a process, from /proc/PID/stat (clock ticks of 10 ms). */
    private static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /** @return entries/s from the first publish until both reporters stored position n, and 1 if both CSVs verify */
    private static double[] endToEnd(int capacity, long n) throws IOException {
        String name = XprocMain.uniqueName("e2e");
        Path dir = Files.createTempDirectory("ipcarc-bench-e2e-");
        List<Spawn> procs = new ArrayList<>();
        try (Ring<Tick> ring = Ring.create(name, Tick.TYPE, RingOptions.defaults().withCapacity(capacity))) {
            for (int i = 0; i < 2; i++) {
                procs.add(Spawn.start(Main.class, "reporter", String.valueOf(i), "--name", name, "--out", dir.toString()));
            }
            XprocMain.awaitActive(ring, 2);
            procs.add(Spawn.start(Main.class, "writer", "--name", name, "--count", String.valueOf(n), "--rate", "0", "--lossless"));
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (ring.writePosition() == 0) {
                LockSupport.parkNanos(20_000L);
            }
            long t0 = System.nanoTime();
            while (ring.readerPosition(0) < n || ring.readerPosition(1) < n) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("end to end did not finish");
                }
                LockSupport.parkNanos(100_000L);
            }
            double rate = n * 1e9 / (System.nanoTime() - t0);
            procs.get(0).terminate();
            procs.get(1).terminate();
            boolean clean = procs.get(0).awaitExit(60) == 0 & procs.get(1).awaitExit(60) == 0;
            try (Spawn v = Spawn.start(Main.class, "verify", "--complete", String.valueOf(n), dir.resolve("output_0.csv").toString(),
                    dir.resolve("output_1.csv").toString())) {
                String result = v.await("verify: ", 600);
                boolean ok = v.await("verify: OK", 600) != null && result != null;
                return new double[] {rate, ok && clean ? 1 : 0};
            } catch (IllegalStateException e) {
                return new double[] {rate, 0};
            }
        } finally {
            procs.forEach(Spawn::close);
            XprocMain.deleteTree(dir);
        }
    }
}
