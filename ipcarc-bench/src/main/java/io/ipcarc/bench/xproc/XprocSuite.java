package io.ipcarc.bench.xproc;

import io.ipcarc.bench.BenchJvm;
import io.ipcarc.bench.ExampleApps;
import io.ipcarc.bench.ExampleApps.Tick;
import io.ipcarc.bench.Floors;
import io.ipcarc.bench.NativeProgram;
import io.ipcarc.bench.SvgChart;
import io.ipcarc.IpcArc;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    /** The JDK of every JVM of the harness, and the native binding the IpcArc rows use. */
    private final String ipcarcJvm = "JDK " + Runtime.version().feature() + ", " + Bindings.current();
    private final String otherJvm = "JDK " + Runtime.version().feature();

    private final java.util.Map<String, Rate> rates = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, long[]> latencies = new java.util.LinkedHashMap<>();
    /** Percent of one core a reporter used, by wait strategy. */
    private final java.util.Map<String, Double> idleShares = new java.util.LinkedHashMap<>();

    /**
     * Creates the suite.
     *
     * @param smoke a run of seconds that only proves the harness works
     * @param reps repetitions of each throughput measurement
     * @param only a section to run alone ({@code throughput}, {@code pingpong}, {@code pingpong-spin} (the spinning
     *     transports only), {@code e2e}, {@code idle}), or null
     */
    public XprocSuite(boolean smoke, int reps, String only) {
        this.smoke = smoke;
        this.reps = reps;
        this.only = only;
    }

    private boolean selected(String section) {
        return only == null || section.startsWith(only) || only.startsWith(section + "-");
    }

    /**
     * One throughput figure: the median of the repetitions, with their range; the mean losses,
     * the bad messages, the median CPU time per message of the writer and of one reader, and the
     * most heap either allocated per message after a quarter of the run.
     */
    record Rate(double median, double min, double max, long lost, long bad, double writerCpu, double readerCpu,
                double writerAlloc, double readerAlloc) {
        String cell() {
            return String.format(Locale.ROOT, "%,.0f (%,.0f – %,.0f)", median, min, max);
        }

        static Rate of(List<double[]> runs) {
            double[] rates = runs.stream().mapToDouble(r -> r[0]).sorted().toArray();
            double lost = runs.stream().mapToDouble(r -> r[1]).average().orElse(0);
            long bad = (long) runs.stream().mapToDouble(r -> r[2]).sum();
            return new Rate(rates[rates.length / 2], rates[0], rates[rates.length - 1], (long) lost, bad,
                    median(runs, 3), median(runs, 4), max(runs, 5), max(runs, 6));
        }

        private static double median(List<double[]> runs, int i) {
            double[] v = runs.stream().mapToDouble(r -> r.length > i ? r[i] : Double.NaN).sorted().toArray();
            return v[v.length / 2];
        }

        private static double max(List<double[]> runs, int i) {
            return runs.stream().mapToDouble(r -> r.length > i ? r[i] : Double.NaN).max().orElse(Double.NaN);
        }
    }

    /** A row of the throughput table and how to measure it once. */
    private record Row(String transport, int readers, Run run) {
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
        md.append("Buffers: ").append(XprocMain.ringCapacity()).append(" entries (1 MiB) for every transport; every record is 64"
                + " bytes with its transport's header (the ring's 8-byte stamp, Agrona's 8-byte record header). Idle readers spin"
                + " 100 rounds, then yield. The runs of all rows alternate (each repetition measures every row once), so that a"
                + " change of the machine's load falls on all of them. CPU is the measuring thread's time per message (spinning"
                + " included); allocation is its heap bytes per message from a quarter of the run on (HotSpot's per-thread"
                + " counter).\n\n");
        md.append("| transport | JDK, binding | readers | messages/s | lost | bad | CPU ns/message (writer / each reader) |"
                + " allocated bytes/message (writer / readers) |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        List<Row> rows = new ArrayList<>();
        for (int readers : new int[] {1, 2, 4}) {
            rows.add(new Row("IpcArc ring, lossless", readers, () -> ring(readers, n, true)));
        }
        for (int readers : new int[] {1, 2, 4}) {
            rows.add(new Row("IpcArc ring, lossy", readers, () -> ring(readers, n, false)));
        }
        rows.add(new Row("Agrona OneToOneRingBuffer", 1, () -> agronaO2o(n)));
        for (int readers : new int[] {1, 2, 4}) {
            rows.add(new Row("Agrona BroadcastTransmitter/Receiver (lossy)", readers, () -> agronaBroadcast(readers, n)));
        }
        rows.add(new Row("Unix-domain SocketChannel, one write per message", 1, () -> uds(smoke ? n : n / 5, 1)));
        rows.add(new Row("Unix-domain SocketChannel, 64 KiB writes (1024 messages each)", 1, () -> uds(n, 1024)));
        java.util.Map<Row, List<double[]>> runs = new java.util.LinkedHashMap<>();
        for (int rep = 0; rep < reps; rep++) {
            for (Row row : rows) {
                double[] r = row.run().once();
                runs.computeIfAbsent(row, k -> new ArrayList<>()).add(r);
                System.err.printf(Locale.ROOT, "xproc: %s, readers=%d, run %d: %,.0f msgs/s%n", row.transport(), row.readers(), rep + 1,
                        r[0]);
            }
        }
        runs.forEach((row, list) -> row(row.transport(), row.readers(), Rate.of(list)));
    }

    private void pingPongs() {
        md.append("\n### Ping-pong round trip of a 64-byte message between two JVMs (ns)\n\n");
        long k = smoke ? 2_000 : 200_000;
        int rounds = smoke ? 1 : 3;
        md.append("The three spinning transports (the C floor, the IpcArc ring, Agrona) are measured ").append(rounds)
                .append(" times each, alternately; their rows show the run with the median p50. The C floor is a C program")
                .append(" (`cacheline_pingpong.c`, built with gcc at run time) bouncing one cache line between two processes")
                .append(" that spin: the least any shared-memory ping-pong can take on this machine.\n\n");
        md.append("| transport | JDK, binding | wait | round trips | p50 | p90 | p99 | p99.9 | max | mean |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<long[]> floor = new ArrayList<>();
        List<long[]> ring = new ArrayList<>();
        List<long[]> agrona = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long[] c = cacheLinePingPong(k / 5, k);
            if (c != null) {
                floor.add(c);
            }
            ring.add(ringPingPong("spin", k / 5, k));
            agrona.add(agronaPingPong(k / 5, k));
        }
        if (floor.isEmpty()) {
            md.append("| C: one cache line between two processes (physical floor) | gcc | spin | not measured: ").append(cFloorProblem)
                    .append(" | | | | | | |\n");
        } else {
            pp(C_FLOOR, "spin", medianByP50(floor));
        }
        pp("IpcArc ring", "spin", medianByP50(ring));
        pp("Agrona OneToOneRingBuffer", "spin", medianByP50(agrona));
        if (!selected("pingpong-other")) {
            return; // --only pingpong-spin: the three spinning transports alone
        }
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
        try {
            pp("Unix-domain SocketChannel", "blocking read", udsPingPong(k / 10, k / 2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Repetitions of each row in a full run. Five, not three: with five busy processes on two
     * cores a row's runs spread by 2x or more (Agrona's broadcast: 5.6M to 17.9M messages/s in
     * one run), and on the same code the lossy floor's ratio was 1.21x from a median of three
     * and 0.94x from a median of five, minutes apart.
     */
    public static final int FULL_REPS = 5;
    /** The examples' writer's default ring capacity ({@code writer --capacity}), on which the end-to-end floor is judged. */
    static final int DEFAULT_CAPACITY = 65_536;
    private static final String C_FLOOR = "C: one cache line between two processes (physical floor)";
    private String cFloorProblem;

    /**
     * Returns the run whose p50 is the median of the runs'.
     *
     * @return the run whose p50 is the median of the runs'
     */
    private static long[] medianByP50(List<long[]> runs) {
        List<long[]> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(r -> r[1]));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Returns the C floor's round trips, or null (and the reason kept) if gcc cannot build it.
     *
     * @return the C floor's round trips, or null (and the reason kept) if gcc cannot build it
     */
    private long[] cacheLinePingPong(long warm, long total) {
        try (NativeProgram c = NativeProgram.build("cacheline_pingpong.c")) {
            if (c.failure() != null) {
                cFloorProblem = c.failure();
                return null;
            }
            for (String line : c.run(String.valueOf(warm), String.valueOf(total))) {
                if (line.startsWith("RESULT ")) {
                    String[] r = line.split(" ");
                    long[] out = new long[7];
                    for (int i = 0; i < 7; i++) {
                        out[i] = (long) Double.parseDouble(r[i + 1]);
                    }
                    return out;
                }
            }
            cFloorProblem = "the C program printed no result";
            return null;
        } catch (IOException e) {
            cFloorProblem = "cannot run the C program: " + e.getMessage();
            return null;
        }
    }

    private void endToEnds() throws IOException {
        md.append("\n### End to end: `writer --rate 0 --lossless` feeding two CSV reporters (separate JVMs)\n\n");
        md.append("The apps' own allocation counters (printed when they stop) include their status lines and the futex"
                + " calls of the block wait strategy.\n\n");
        md.append("| ring capacity | JDK, binding | entries | entries/s (median, min – max) | CSVs verified | allocated bytes/entry"
                + " (writer / reporters) |\n|---:|---|---:|---:|---|---:|\n");
        long e2eN = smoke ? 100_000 : 3_000_000;
        for (int cap : new int[] {1024, DEFAULT_CAPACITY}) {
            boolean[] verified = {true};
            List<double[]> runs = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                double[] res = endToEnd(cap, e2eN);
                verified[0] &= res[1] == 1;
                runs.add(new double[] {res[0], 0, 0, Double.NaN, Double.NaN, res[2], res[3]});
            }
            Rate r = Rate.of(runs);
            md.append(String.format(Locale.ROOT, "| %,d | %s | %,d | %s | %s | %.3f / %.3f |%n", cap, ipcarcJvm, e2eN, r.cell(),
                    verified[0] ? "yes" : "NO", r.writerAlloc(), r.readerAlloc()));
            rates.put("e2e/" + cap, verified[0] ? r : new Rate(0, 0, 0, 0, 1, 0, 0, 0, 0));
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
        out.add(atLeast("lossless ring, 1 reader >= 1.0x Agrona OneToOneRingBuffer (64-byte entries)",
                rates.get("IpcArc ring, lossless/1"), rates.get("Agrona OneToOneRingBuffer/1")));
        out.add(atLeast("lossy ring, 4 readers >= 1.0x Agrona BroadcastReceiver (64-byte entries)",
                rates.get("IpcArc ring, lossy/4"), rates.get("Agrona BroadcastTransmitter/Receiver (lossy)/4")));
        long[] spin = latencies.get("IpcArc ring/spin");
        long[] agrona = latencies.get("Agrona OneToOneRingBuffer/spin");
        long[] floor = latencies.get(C_FLOOR + "/spin");
        long[] uds = latencies.get("Unix-domain SocketChannel/blocking read");
        long[] block = latencies.get("IpcArc ring/block, echo asleep in the futex for every message (pinger spins)");
        long[] blockGap = latencies.get("IpcArc ring/block, echo idle (1 ms between messages; pinger spins)");
        out.add(spin == null || agrona == null ? missing("ping-pong p50 with spin <= Agrona's")
                : new Floors.Floor("ping-pong p50 with spin <= Agrona's", String.format(Locale.ROOT,
                "ring p50 / Agrona p50 = %,d / %,d ns = %sx", spin[1], agrona[1], ratio((double) spin[1] / agrona[1], 1.0)),
                spin[1] <= agrona[1] ? "met" : "MISSED"));
        out.add(spin == null || floor == null ? missing("ping-pong p50 with spin <= 1.5x the C floor")
                : new Floors.Floor("ping-pong p50 with spin <= 1.5x the C floor (one cache line between two processes)",
                String.format(Locale.ROOT, "ring p50 / C floor p50 = %,d / %,d ns = %sx", spin[1], floor[1],
                        ratio((double) spin[1] / floor[1], 1.5)),
                spin[1] <= 1.5 * floor[1] ? "met" : "MISSED"));
        out.add(spin == null ? missing("ping-pong p50 <= 1 us with spin")
                : new Floors.Floor("ping-pong p50 <= 1 us with spin", "p50 = " + fmt(spin[1]) + " ns",
                spin[1] <= 1_000 ? "met" : "MISSED"));
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
        Double blockShare = idleShares.get("block");
        out.add(blockShare == null ? missing("a reporter following 1,000 entries/s with block uses <= 3% of one core")
                : new Floors.Floor("a reporter following 1,000 entries/s with block uses <= 3% of one core (CSV output included)",
                String.format(Locale.ROOT, "%.1f %% of one core (the whole reporter JVM)", blockShare),
                blockShare <= 3.0 ? "met" : "MISSED"));
        // The floor is judged on the command as a user types it: the writer's default capacity.
        Rate e2e = rates.get("e2e/" + DEFAULT_CAPACITY);
        Rate small = rates.get("e2e/1024");
        out.add(e2e == null ? missing("end to end with two CSV reporters >= 2,000,000 entries/s")
                : new Floors.Floor("end to end, `writer --rate 0 --lossless` and two CSV reporters >= 2,000,000 entries/s"
                + String.format(Locale.ROOT, " (ring capacity %,d, the writer's default)", DEFAULT_CAPACITY),
                String.format(Locale.ROOT, "%,.0f entries/s (median, min %,.0f)%s", e2e.median(), e2e.min(),
                        small == null ? "" : String.format(Locale.ROOT, "; with `--capacity 1024` %,.0f", small.median())),
                e2e.median() >= 2_000_000 ? "met" : "MISSED"));
        out.add(allocationFloor());
        return out;
    }

    /** Zero allocation per entry: the ring rows' writers and readers, from a quarter of each run on. */
    private Floors.Floor allocationFloor() {
        String floor = "zero allocation per entry on the ring's writer and reader paths";
        double most = -1;
        for (java.util.Map.Entry<String, Rate> e : rates.entrySet()) {
            if (e.getKey().startsWith("IpcArc ring")) {
                most = Math.max(most, Math.max(e.getValue().writerAlloc(), e.getValue().readerAlloc()));
            }
        }
        if (most < 0) {
            return missing(floor);
        }
        return new Floors.Floor(floor, String.format(Locale.ROOT, "at most %.4f bytes/entry in any ring throughput run (writer or"
                + " reader, from a quarter of the run on; an object is at least 16 bytes)", most), most < 0.01 ? "met" : "MISSED");
    }

    private static Floors.Floor atLeast(String floor, Rate ours, Rate theirs) {
        if (ours == null || theirs == null) {
            return missing(floor);
        }
        double r = ours.median() / theirs.median();
        return new Floors.Floor(floor, String.format(Locale.ROOT, "%,.0f vs %,.0f messages/s (medians) = %sx", ours.median(),
                theirs.median(), ratio(r, 1.0)), r >= 1.0 ? "met" : "MISSED");
    }

    /**
     * A ratio with two decimals, or three where two would round it onto its limit (0.995 is not
     * "1.00x" when the floor is 1.0x).
     */
    static String ratio(double r, double limit) {
        String two = String.format(Locale.ROOT, "%.2f", r);
        return Double.parseDouble(two) == limit && r != limit ? String.format(Locale.ROOT, "%.3f", r) : two;
    }

    private static Floors.Floor missing(String floor) {
        return new Floors.Floor(floor, "not measured in this run", "not measured");
    }

    private static String fmt(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /**
     * Returns throughput medians as chart bars, messages/s.
     *
     * @return throughput medians as chart bars, messages/s
     */
    public List<SvgChart.Bar> throughputBars() {
        List<SvgChart.Bar> bars = new ArrayList<>();
        rates.forEach((k, r) -> {
            if (!k.startsWith("e2e/")) {
                bars.add(new SvgChart.Bar(k.replace("/", ", readers="), r.median(), Double.NaN, !k.startsWith("IpcArc")));
            }
        });
        return bars;
    }

    /**
     * Returns ping-pong p50 and p99 as chart bars, ns.
     *
     * @return ping-pong p50 and p99 as chart bars, ns
     */
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
        List<double[]> list = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            list.add(run.once());
        }
        return Rate.of(list);
    }

    private void row(String transport, int readers, Rate r) {
        rates.put(transport + "/" + readers, r);
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %,d | %d | %.1f / %.1f | %.4f / %.4f |%n", transport,
                jvmOf(transport), readers, r.cell(), r.lost(), r.bad(), r.writerCpu(), r.readerCpu(), r.writerAlloc(), r.readerAlloc()));
        System.err.printf(Locale.ROOT, "xproc: %s, readers=%d: %s msgs/s lost=%d bad=%d cpu %.1f/%.1f ns alloc %.4f/%.4f B%n", transport,
                readers, r.cell(), r.lost(), r.bad(), r.writerCpu(), r.readerCpu(), r.writerAlloc(), r.readerAlloc());
    }

    private String jvmOf(String transport) {
        return transport.startsWith("IpcArc") ? ipcarcJvm : otherJvm;
    }

    private void pp(String transport, String mode, long[] r) {
        latencies.put(transport + "/" + mode, r);
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d |%n", transport,
                transport.startsWith("C:") ? "gcc -O2" : jvmOf(transport), mode, r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
        System.err.printf("xproc: ping-pong %s %s: p50=%d ns p99=%d ns%n", transport, mode, r[1], r[3]);
    }

    /** Starts readers, then the writer, and computes messages/s from the writer's START to the last reader's END. */
    private static double[] measure(List<List<String>> readerArgs, List<String> writerArgs, long n, Runnable afterReady) {
        List<ChildJvm> readers = new ArrayList<>();
        try {
            for (List<String> a : readerArgs) {
                ChildJvm s = BenchJvm.COMMAND.main(XprocMain.class, a.toArray(String[]::new)).start();
                readers.add(s);
            }
            for (ChildJvm s : readers) {
                s.awaitLine("READY", Duration.ofSeconds(120));
            }
            afterReady.run();
            try (ChildJvm w = BenchJvm.COMMAND.main(XprocMain.class, writerArgs.toArray(String[]::new)).start()) {
                long t0 = Long.parseLong(w.awaitLine("START", Duration.ofSeconds(120)).split(" ")[1]);
                long t1 = 0;
                long lost = 0;
                long bad = 0;
                double readerCpu = 0;
                double readerAlloc = 0;
                for (ChildJvm s : readers) {
                    String[] end = s.awaitLine("END", Duration.ofSeconds(600)).split(" ");
                    t1 = Math.max(t1, Long.parseLong(end[1]));
                    lost += Long.parseLong(end[3]);
                    bad += Long.parseLong(end[4]);
                    readerAlloc = Math.max(readerAlloc, Double.parseDouble(end[5]));
                    readerCpu += Double.parseDouble(end[6]) / n / readers.size();
                }
                String[] done = w.awaitLine("DONE", Duration.ofSeconds(600)).split(" ");
                double writerAlloc = Double.parseDouble(done[2]);
                double writerCpu = Double.parseDouble(done[3]) / n;
                return new double[] {n * 1e9 / (t1 - t0), (double) lost / readers.size(), bad, writerCpu, readerCpu, writerAlloc,
                    readerAlloc};
            }
        } finally {
            readers.forEach(ChildJvm::close);
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
        try (ChildJvm e = BenchJvm.COMMAND.main(XprocMain.class, echo.toArray(String[]::new)).start()) {
            e.awaitLine("READY", Duration.ofSeconds(120));
            try (ChildJvm p = BenchJvm.COMMAND.main(XprocMain.class, ping.toArray(String[]::new)).start()) {
                String[] r = p.awaitLine("RESULT", Duration.ofSeconds(900)).split(" ");
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
        // At 1,000 entries/s C2 compiles the reporter's loop 15 to 25 s in (seen: 120 ms of JIT
        // time in a window from 15 s on); a sidecar runs for hours, so the floor is about what
        // follows: measured from 40 s on, with the JIT's share still shown apart.
        long warmUp = smoke ? 1 : 40;
        long seconds = smoke ? 2 : 10;
        md.append("\n### Reporter CPU while following a writer at 1,000 entries/s (CSV output)\n\n");
        md.append("The whole reporter JVM's CPU time (all its threads, from /proc), measured for ").append(seconds)
                .append(" s after ").append(warmUp).append(" s of warm-up: at this rate the JIT compiles the reporter's code")
                .append(" during its first 25 seconds or so; what it still compiles in the window is in the last column.")
                .append(" /proc counts CPU in ticks of 10 ms.\n\n");
        md.append("| wait strategy | JDK, binding | measured for | CPU time | CPU share of one core | entries written | of which JIT"
                + " compiler threads |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (String strategy : new String[] {"backoff", "block", "sleep"}) {
            String name = XprocMain.uniqueName("idle-" + strategy);
            Path dir = Files.createTempDirectory("ipcarc-bench-idle-");
            try (Ring<Tick> ring = Ring.create(name, Tick.TYPE, RingOptions.defaults());
                 ChildJvm reporter = ExampleApps.command("reporter", "0", "--name", name, "--out", dir.toString(), "--wait", strategy)
                         .start()) {
                XprocMain.awaitActive(ring, 1);
                try (ChildJvm writer = ExampleApps.command("writer", "--name", name, "--rate", "1000").start()) {
                    LockSupport.parkNanos(warmUp * 1_000_000_000L);
                    long[] cpu0 = cpuNanos(reporter.pid());
                    long t0 = System.nanoTime();
                    long p0 = ring.readerPosition(0);
                    LockSupport.parkNanos(seconds * 1_000_000_000L);
                    long[] cpu1 = cpuNanos(reporter.pid());
                    long cpu = cpu1[0] - cpu0[0];
                    long jit = cpu1[1] - cpu0[1];
                    long wall = System.nanoTime() - t0;
                    long entries = ring.readerPosition(0) - p0;
                    md.append(String.format(Locale.ROOT, "| %s | %s | %.1f s | %.0f ms | %.1f %% | %,d | %.0f ms |%n", strategy,
                            ipcarcJvm, wall / 1e9,
                            cpu / 1e6, 100.0 * cpu / wall, entries, jit / 1e6));
                    idleShares.put(strategy, 100.0 * cpu / wall);
                    System.err.printf("xproc: idle cost %s: %.0f ms CPU (JIT %.0f ms) in %.1f s%n", strategy, cpu / 1e6, jit / 1e6,
                            wall / 1e9);
                    writer.terminate();
                    writer.awaitExit(Duration.ofSeconds(60));
                }
                reporter.terminate();
                reporter.awaitExit(Duration.ofSeconds(60));
            } finally {
                XprocMain.deleteTree(dir);
            }
        }
    }

    /**
     * Returns utime + stime of all threads of a process, and of its JIT compiler threads, in ns, from
     * /proc/PID/task/TID/stat (clock ticks of 10 ms).
     *
     * @return utime + stime of all threads of a process, and of its JIT compiler threads, in ns,
     *     from /proc/PID/task/TID/stat (clock ticks of 10 ms)
     */
    private static long[] cpuNanos(long pid) throws IOException {
        long all = 0;
        long jit = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // the thread ended meanwhile
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                all += ticks;
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.contains("CompilerThre")) {
                    jit += ticks;
                }
            }
        }
        return new long[] {all * 10_000_000L, jit * 10_000_000L};
    }

    /**
     * Returns entries/s from the first publish until both reporters stored position n, 1 if both CSVs verify,
     * and the heap bytes per entry the writer and (the most of) the reporters allocated.
     *
     * @return entries/s from the first publish until both reporters stored position n, 1 if both
     *     CSVs verify, and the heap bytes per entry the writer and (the most of) the reporters allocated
     */
    private static double[] endToEnd(int capacity, long n) throws IOException {
        String name = XprocMain.uniqueName("e2e");
        Path dir = Files.createTempDirectory("ipcarc-bench-e2e-");
        List<ChildJvm> procs = new ArrayList<>();
        try (Ring<Tick> ring = Ring.create(name, Tick.TYPE, RingOptions.defaults().withCapacity(capacity))) {
            for (int i = 0; i < 2; i++) {
                procs.add(ExampleApps.command("reporter", String.valueOf(i), "--name", name, "--out", dir.toString()).start());
            }
            XprocMain.awaitActive(ring, 2);
            procs.add(ExampleApps.command("writer", "--name", name, "--count", String.valueOf(n), "--rate", "0", "--lossless").start());
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
            Duration minute = Duration.ofSeconds(60);
            boolean clean = procs.get(0).awaitExit(minute) == 0 & procs.get(1).awaitExit(minute) == 0;
            double writerAlloc = perEntry(procs.get(2).awaitLine("writer: stopped", minute));
            double reporterAlloc = Math.max(perEntry(procs.get(0).awaitLine("reporter 0: stopped", minute)),
                    perEntry(procs.get(1).awaitLine("reporter 1: stopped", minute)));
            try (ChildJvm v = ExampleApps.command("verify", "--complete", String.valueOf(n), dir.resolve("output_0.csv").toString(),
                    dir.resolve("output_1.csv").toString()).start()) {
                String result = v.awaitLine("verify: ", Duration.ofSeconds(600));
                boolean ok = v.awaitLine("verify: OK", Duration.ofSeconds(600)) != null && result != null;
                return new double[] {rate, ok && clean ? 1 : 0, writerAlloc, reporterAlloc};
            } catch (IllegalStateException e) {
                return new double[] {rate, 0, writerAlloc, reporterAlloc};
            }
        } finally {
            procs.forEach(ChildJvm::close);
            XprocMain.deleteTree(dir);
        }
    }

    /**
     * Returns the bytes per entry an app's stop line reports ({@code allocated=N bytes (X per entry)}).
     *
     * @return the bytes per entry an app's stop line reports ({@code allocated=N bytes (X per entry)})
     */
    private static double perEntry(String stopLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([0-9.]+) per entry\\)").matcher(stopLine);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
