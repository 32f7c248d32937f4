package io.ipcarc.bench.map;

import io.ipcarc.bench.BenchNames;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.map.IpcMap;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * The map rows of one JDK, in one JVM ({@link MapBench} starts it on each JDK): IpcMap beside
 * Chronicle Map and ConcurrentHashMap, {@code Long} keys and 64-byte {@link Rec8} values.
 *
 * <p>Single-thread rows time each map in short batches (a thousand calls, each batch on keys of
 * its own, so no batch finds entries the one before it loaded), all maps one right after the
 * other in each round, the order rotating; a row's ratio is the median of the per-round ratios
 * (quartiles beside it), so that a preemption on a shared machine hits one round, not one map.
 * Then allocation per call (ThreadMXBean), memory per entry, 16-byte string keys, four JVMs on
 * one map, and recovery from a writer killed inside an update.
 *
 * <p>Prints tab-separated lines: {@code row SECTION LABEL MEASURED}, {@code floor TEXT MEASURED
 * VERDICT}, {@code note TEXT}; {@link MapBench} turns them into Markdown.
 *
 * <p>Usage: {@code java CHRONICLE_OPTIONS -cp ipcarc-bench.jar io.ipcarc.bench.map.MapRows [smoke]}.
 */
public final class MapRows {
    /** Entries of the Chronicle map of the recovery rows (a worker opening it needs the same). */
    static final int RECOVERY_ENTRIES = 1000;
    private static final int BATCH = 1000;
    private static final long RECOVERY_TIMEOUT_MS = 10_000;

    private final boolean smoke;
    private final int entries;
    private final Long[] keys;
    private final Rec8[] values = new Rec8[16];
    private final byte[] into = new byte[Rec8.SIZE];
    private final List<Path> files = new ArrayList<>();
    private IpcMap<Long, Rec8> ipc;
    private ChronicleMap<Long, Rec8> chronicle;
    private String chronicleFailure;
    private ConcurrentHashMap<Long, Rec8> chm;
    private String[] sKeys;
    private IpcMap<String, Rec8> sIpc;
    private ChronicleMap<String, Rec8> sChronicle;
    private ConcurrentHashMap<String, Rec8> sChm;
    private long sink;

    private MapRows(boolean smoke) {
        this.smoke = smoke;
        this.entries = smoke ? 100_000 : 1_000_000;
        this.keys = new Long[entries];
        for (int i = 0; i < entries; i++) {
            keys[i] = (long) i;
        }
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = entries - 1; i > 0; i--) { // the order of the lookups: every key once, shuffled
            int j = rnd.nextInt(i + 1);
            Long t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = Rec8.of(i * 8L);
        }
    }

    /**
     * Runs every map row on this JVM's JDK.
     *
     * @param args {@code smoke} for a run of seconds
     * @throws Exception if a row cannot run
     */
    public static void main(String[] args) throws Exception {
        boolean smoke = args.length > 0 && args[0].equals("smoke");
        long pid = ProcessHandle.current().pid();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BenchNames.removeAll(pid)));
        MapRows rows = new MapRows(smoke);
        try {
            rows.fill();
            rows.memory();
            rows.gets();
            rows.puts();
            rows.allocation();
            rows.closeSingle();
            rows.stringKeys();
            rows.acrossProcesses();
            rows.recovery(); // last: a Chronicle put stuck on a dead holder's lock keeps spinning in its thread
        } finally {
            rows.cleanup();
        }
        System.out.flush();
        System.exit(0);
    }

    private static void out(String... fields) {
        System.out.println(String.join("\t", fields));
    }

    private Path chronicleFile(String what) {
        Path p = Path.of("/dev/shm", BenchNames.next(what).substring(1));
        files.add(p);
        return p;
    }

    private void fill() {
        String name = BenchNames.next("map");
        ipc = MapSubjects.createIpc(name, entries);
        files.add(Path.of("/dev/shm", name.substring(1)));
        chm = new ConcurrentHashMap<>(entries * 2);
        // Filled in key order, looked up in the shuffled order: a map whose entries lie in the order
        // they were put would otherwise be read front to back, its memory streamed by the prefetcher.
        for (long k = 0; k < entries; k++) {
            Rec8 v = Rec8.of(k);
            ipc.put(k, v);
            chm.put(k, v);
        }
        try {
            chronicle = MapSubjects.chronicle(chronicleFile("chronicle").toFile(), entries);
            for (long k = 0; k < entries; k++) {
                chronicle.put(k, Rec8.of(k));
            }
        } catch (Throwable e) { // a JDK it cannot run on: report the error, keep the other rows
            chronicleFailure = e.getClass().getName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            chronicle = null;
            out("note", "Chronicle Map not runnable on this JDK: " + chronicleFailure);
        }
        out("note", String.format(Locale.ROOT, "%,d entries, Long keys, 64-byte record values (8 longs); Chronicle Map 3.27ea0 "
                + "persisted to /dev/shm with a 64-byte value marshaller; filled in key order, then called in a shuffled order of all keys,"
                + " each batch of %,d on keys of its own", entries, BATCH));
    }

    private void memory() {
        long[] ipcSize = sizes(files.get(0));
        out("row", "Memory per entry", "IpcMap: file size / entries", perEntry(ipcSize));
        if (chronicle == null) {
            out("floor", "memory per entry at 1M entries <= Chronicle Map's", "Chronicle: not runnable (" + chronicleFailure + ")",
                    "not measured");
            return;
        }
        long[] cSize = sizes(files.get(1));
        out("row", "Memory per entry", "Chronicle Map: file size / entries", perEntry(cSize));
        double ratio = (double) ipcSize[1] / cSize[1];
        out("floor", "memory per entry at " + String.format(Locale.ROOT, "%,d", entries) + " entries <= Chronicle Map's",
                String.format(Locale.ROOT, "IpcMap %.1f B / Chronicle %.1f B (pages in use) = %.2f; file sizes %.1f / %.1f B",
                        (double) ipcSize[1] / entries, (double) cSize[1] / entries, ratio, (double) ipcSize[0] / entries,
                        (double) cSize[0] / entries), ratio <= 1 ? "met" : "MISSED");
    }

    /** The file's length and the bytes of its pages in use (tmpfs files are sparse until written). */
    private long[] sizes(Path p) {
        try {
            long length = Files.size(p);
            Process st = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).redirectErrorStream(true).start();
            String[] f = new String(st.getInputStream().readAllBytes()).trim().split(" ");
            st.waitFor();
            return new long[] {length, Long.parseLong(f[0]) * Long.parseLong(f[1])};
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw new IllegalStateException("cannot read the size of " + p + ": " + e, e);
        }
    }

    private String perEntry(long[] s) {
        return String.format(Locale.ROOT, "%.1f B (file %,d B, pages in use %,d B)", (double) s[1] / entries, s[0], s[1]);
    }

    // ---- single thread: one batch of each map per round ----

    /** One timed batch of one map, from position {@code from} of the shuffled keys. */
    private interface Batch {
        void run(MapRows r, int from);
    }

    private void gets() {
        List<String> names = new ArrayList<>(List.of("IpcMap.get(key)", "IpcMap.get(key, into) (zero-copy)", "ConcurrentHashMap.get"));
        List<Batch> batches = new ArrayList<>(List.of(MapRows::ipcGet, MapRows::ipcGetInto, MapRows::chmGet));
        if (chronicle != null) {
            names.add("ChronicleMap.get");
            batches.add(MapRows::chronicleGet);
        }
        double[][] ns = interleave(batches);
        report("get of a present key, 1 thread", names, ns);
        ratioFloor("get, 1 thread: IpcMap >= 2x Chronicle Map's ops/s", ns, 0, 3, 2.0, "IpcMap.get(key)", "ChronicleMap.get");
        ratioFloor("get, 1 thread: IpcMap >= 0.5x ConcurrentHashMap's ops/s", ns, 0, 2, 0.5, "IpcMap.get(key)",
                "ConcurrentHashMap.get");
        out("row", "get of a present key, 1 thread", "ratio IpcMap.get(key, into) / ChronicleMap.get (ops/s)",
                chronicle == null ? "-" : ratioText(ns, 1, 3));
    }

    private void puts() {
        List<String> names = new ArrayList<>(List.of("IpcMap.put(key, value) (returns the old value)",
                "IpcMap.set(key, value) (zero-copy, no old value)", "ConcurrentHashMap.put"));
        List<Batch> batches = new ArrayList<>(List.of(MapRows::ipcPut, MapRows::ipcSet, MapRows::chmPut));
        if (chronicle != null) {
            names.add("ChronicleMap.put (returns the old value)");
            batches.add(MapRows::chroniclePut);
        }
        double[][] ns = interleave(batches);
        report("put replacing a value, 1 thread", names, ns);
        ratioFloor("put replacing a value: IpcMap >= 1.0x Chronicle Map's ops/s", ns, 0, 3, 1.0, "IpcMap.put", "ChronicleMap.put");
        out("row", "put replacing a value, 1 thread", "ratio IpcMap.set / ChronicleMap.put (ops/s)",
                chronicle == null ? "-" : ratioText(ns, 1, 3));
    }

    /** Times every batch in every round, the order rotating; returns ns per call, [batch][round]. */
    private double[][] interleave(List<Batch> batches) {
        int warm = smoke ? 20 : 300;
        int rounds = smoke ? 50 : 3000;
        int n = batches.size();
        double[][] ns = new double[n][rounds];
        int from = 0;
        for (int r = -warm; r < rounds; r++) {
            for (int j = 0; j < n; j++) {
                int b = Math.floorMod(j + r, n);
                long t0 = System.nanoTime();
                batches.get(b).run(this, from);
                long dt = System.nanoTime() - t0;
                if (r >= 0) {
                    ns[b][r] = (double) dt / BATCH;
                }
                // every batch its own keys: a batch after another of the same map would find the
                // entries that one just loaded in the cache (two IpcMap rows share one map)
                from += BATCH;
                if (from + BATCH > entries) {
                    from = 0;
                }
            }
        }
        return ns;
    }

    private void report(String section, List<String> names, double[][] ns) {
        for (int i = 0; i < names.size(); i++) {
            double[] s = ns[i].clone();
            Arrays.sort(s);
            out("row", section, names.get(i), String.format(Locale.ROOT, "%.1f ns/call (median of %d batches of %d; p10 %.1f, "
                    + "p90 %.1f); %s calls/s", q(s, 0.5), s.length, BATCH, q(s, 0.1), q(s, 0.9), mops(1e9 / q(s, 0.5))));
        }
    }

    private static String mops(double perSecond) {
        return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
    }

    /** Median and quartiles of the per-round ratios of ops/s (time of {@code den} / time of {@code num}). */
    private static double[] ratios(double[][] ns, int num, int den) {
        double[] r = new double[ns[num].length];
        for (int i = 0; i < r.length; i++) {
            r[i] = ns[den][i] / ns[num][i];
        }
        Arrays.sort(r);
        return new double[] {q(r, 0.5), q(r, 0.25), q(r, 0.75)};
    }

    private static String ratioText(double[][] ns, int num, int den) {
        double[] r = ratios(ns, num, den);
        return String.format(Locale.ROOT, "%.2f (median of per-round ratios; quartiles %.2f - %.2f)", r[0], r[1], r[2]);
    }

    private void ratioFloor(String text, double[][] ns, int num, int den, double floor, String a, String b) {
        if (den >= ns.length) {
            out("floor", text, "Chronicle: not runnable on this JDK (" + chronicleFailure + ")", "not measured");
            return;
        }
        double[] r = ratios(ns, num, den);
        out("floor", text, a + " / " + b + " ops/s = " + ratioText(ns, num, den), r[0] >= floor ? "met" : "MISSED");
    }

    private static double q(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    private void ipcGet(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += ipc.get(keys[i]).a();
        }
        sink += s;
    }

    private void ipcGetInto(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            ipc.get(keys[i], into);
            s += into[0];
        }
        sink += s;
    }

    private void chmGet(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += chm.get(keys[i]).a();
        }
        sink += s;
    }

    private void chronicleGet(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += chronicle.get(keys[i]).a();
        }
        sink += s;
    }

    private void ipcPut(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += ipc.put(keys[i], values[i & 15]).a();
        }
        sink += s;
    }

    private void ipcSet(int from) {
        for (int i = from; i < from + BATCH; i++) {
            ipc.set(keys[i], values[i & 15]);
        }
    }

    private void chmPut(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += chm.put(keys[i], values[i & 15]).a();
        }
        sink += s;
    }

    private void chroniclePut(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += chronicle.put(keys[i], values[i & 15]).a();
        }
        sink += s;
    }

    // ---- allocation per call ----

    private void allocation() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            out("note", "allocation per call not measured: ThreadMXBean has no allocated-bytes counter on this JVM");
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        List<String> names = new ArrayList<>(List.of("IpcMap.get(key, into)", "IpcMap.set(key, value)", "IpcMap.get(key)",
                "IpcMap.put(key, value)"));
        List<Batch> batches = new ArrayList<>(List.of(MapRows::ipcGetInto, MapRows::ipcSet, MapRows::ipcGet, MapRows::ipcPut));
        if (chronicle != null) {
            names.addAll(List.of("ChronicleMap.get", "ChronicleMap.put"));
            batches.addAll(List.of(MapRows::chronicleGet, MapRows::chroniclePut));
        }
        int reps = smoke ? 10 : 200;
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < names.size(); i++) {
            batches.get(i).run(this, 0); // warm
            long before = mx.getThreadAllocatedBytes(tid);
            for (int r = 0; r < reps; r++) {
                batches.get(i).run(this, (r * BATCH) % (entries - BATCH));
            }
            long bytes = mx.getThreadAllocatedBytes(tid) - before;
            double perCall = (double) bytes / ((long) reps * BATCH);
            out("row", "Allocation per call (ThreadMXBean, after the rows above warmed every path)", names.get(i),
                    String.format(Locale.ROOT, "%.2f bytes/call (%,d calls)", perCall, (long) reps * BATCH));
            if (i < 2) {
                out("floor", "zero allocation per call: " + names.get(i), String.format(Locale.ROOT, "%.3f bytes/call", perCall),
                        perCall < 0.5 ? "met" : "MISSED");
            }
        }
    }

    private void closeSingle() {
        ipc.close();
        if (chronicle != null) {
            chronicle.close();
        }
        chm = null;
        System.gc();
    }

    // ---- 16-byte string keys ----

    private void stringKeys() {
        String section = "get of a present 16-byte string key, 1 thread";
        sKeys = new String[entries];
        for (int i = 0; i < entries; i++) {
            sKeys[i] = String.format(Locale.ROOT, "key-%012d", keys[i]); // 16 ASCII bytes, in the shuffled order
        }
        String name = BenchNames.next("map-string");
        Path ipcFile = Path.of("/dev/shm", name.substring(1));
        files.add(ipcFile);
        sIpc = MapSubjects.createIpcString(name, entries);
        sChm = new ConcurrentHashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) { // in key order, as above
            String k = String.format(Locale.ROOT, "key-%012d", i);
            Rec8 v = Rec8.of(i);
            sIpc.put(k, v);
            sChm.put(k, v);
        }
        Path cFile = chronicleFile("chronicle-string");
        if (chronicle != null) {
            sChronicle = MapSubjects.chronicleString(cFile.toFile(), entries);
            for (int i = 0; i < entries; i++) {
                sChronicle.put(String.format(Locale.ROOT, "key-%012d", i), Rec8.of(i));
            }
        }
        long[] ipcSize = sizes(ipcFile);
        out("row", "Memory per entry", "IpcMap, 16-byte string keys: file size / entries", perEntry(ipcSize));
        List<String> names = new ArrayList<>(List.of("IpcMap.get(key)", "IpcMap.get(key, into) (zero-copy)", "ConcurrentHashMap.get"));
        List<Batch> batches = new ArrayList<>(List.of(MapRows::sIpcGet, MapRows::sIpcGetInto, MapRows::sChmGet));
        if (sChronicle != null) {
            long[] cSize = sizes(cFile);
            out("row", "Memory per entry", "Chronicle Map, 16-byte string keys: file size / entries", perEntry(cSize));
            double ratio = (double) ipcSize[1] / cSize[1];
            out("floor", "16-byte string keys: memory per entry <= Chronicle Map's", String.format(Locale.ROOT,
                    "IpcMap %.1f B / Chronicle %.1f B = %.2f", (double) ipcSize[1] / entries, (double) cSize[1] / entries, ratio),
                    ratio <= 1 ? "met" : "MISSED");
            names.add("ChronicleMap.get");
            batches.add(MapRows::sChronicleGet);
        }
        double[][] ns = interleave(batches);
        report(section, names, ns);
        ratioFloor("16-byte string key, get, 1 thread: IpcMap >= 2x Chronicle Map's ops/s", ns, 0, 3, 2.0, "IpcMap.get(key)",
                "ChronicleMap.get");
        ratioFloor("16-byte string key, get, 1 thread: IpcMap >= 0.5x ConcurrentHashMap's ops/s", ns, 0, 2, 0.5, "IpcMap.get(key)",
                "ConcurrentHashMap.get");
        sIpc.close();
        if (sChronicle != null) {
            sChronicle.close();
        }
        sChm = null;
        sKeys = null;
        System.gc();
    }

    private void sIpcGet(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += sIpc.get(sKeys[i]).a();
        }
        sink += s;
    }

    private void sIpcGetInto(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            sIpc.get(sKeys[i], into);
            s += into[0];
        }
        sink += s;
    }

    private void sChmGet(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += sChm.get(sKeys[i]).a();
        }
        sink += s;
    }

    private void sChronicleGet(int from) {
        long s = 0;
        for (int i = from; i < from + BATCH; i++) {
            s += sChronicle.get(sKeys[i]).a();
        }
        sink += s;
    }

    // ---- four JVMs on one map ----

    private void acrossProcesses() throws IOException {
        int n = 100_000;
        long warm = smoke ? 300 : 3000;
        long measure = smoke ? 500 : 5000;
        int reps = smoke ? 1 : 2;
        String section = "4 JVMs on one map, 90% get / 10% put, 100,000 keys (the two maps' runs alternate)";
        String floor = "4 JVMs, 90% get / 10% put: IpcMap >= 1.5x Chronicle Map's aggregate ops/s";
        String name = BenchNames.next("mix");
        files.add(Path.of("/dev/shm", name.substring(1)));
        Path file = chronicleFile("chronicle-mix");
        double ipcSum = 0;
        double cSum = 0;
        try (IpcMap<Long, Rec8> m = MapSubjects.createIpc(name, n);
             ChronicleMap<Long, Rec8> c = chronicle == null ? null : MapSubjects.chronicle(file.toFile(), n)) {
            for (long k = 0; k < n; k++) {
                m.put(k, Rec8.of(k));
                if (c != null) {
                    c.put(k, Rec8.of(k));
                }
            }
            for (int r = 1; r <= reps; r++) {
                double ipcOps = mix(true, name, n, warm, measure);
                ipcSum += ipcOps;
                out("row", section, "IpcMap: aggregate, run " + r, mops(ipcOps) + " ops/s");
                if (c != null) {
                    double cOps = mix(false, file.toString(), n, warm, measure);
                    cSum += cOps;
                    out("row", section, "Chronicle Map: aggregate, run " + r, mops(cOps) + " ops/s");
                }
            }
        }
        if (chronicle == null) {
            out("floor", floor, "Chronicle: not runnable on this JDK (" + chronicleFailure + ")", "not measured");
            return;
        }
        double ratio = ipcSum / cSum;
        out("floor", floor, String.format(Locale.ROOT, "IpcMap %s / Chronicle %s ops/s = %.2f (means of %d runs each, alternating;"
                        + " each run %d ms measured after %d ms warm-up)", mops(ipcSum / reps), mops(cSum / reps), ratio, reps, measure,
                warm), ratio >= 1.5 ? "met" : "MISSED");
    }

    /** Four workers on {@code map}; returns their summed ops/s. */
    private double mix(boolean ipcMap, String map, int n, long warm, long measure) throws IOException {
        Path go = Path.of("/dev/shm", BenchNames.next("go").substring(1));
        files.add(go);
        List<ChildJvm> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                workers.add(ChildJvm.start(workerOptions(), MapWorker.class, "mix", ipcMap ? "ipc" : "chronicle", map,
                        Integer.toString(n), Long.toString(warm), Long.toString(measure), Integer.toString(1000 + i), go.toString()));
            }
            for (ChildJvm w : workers) {
                w.awaitLine("ready", Duration.ofSeconds(120));
            }
            Files.createFile(go);
            double total = 0;
            for (ChildJvm w : workers) {
                String[] f = w.awaitLine("ops ", Duration.ofSeconds(120 + (warm + measure) / 1000)).split(" ");
                total += Double.parseDouble(f[1]) * 1e9 / Double.parseDouble(f[3]);
            }
            for (ChildJvm w : workers) {
                w.awaitExit(Duration.ofSeconds(60));
            }
            return total;
        } finally {
            for (ChildJvm w : workers) {
                w.close();
            }
            Files.deleteIfExists(go);
        }
    }

    private static List<String> workerOptions() {
        return MapSubjects.chronicleOptions(Runtime.version().feature());
    }

    // ---- recovery ----

    private void recovery() throws Exception {
        long key = 5;
        int reps = smoke ? 1 : 3;
        String section = "Recovery: a writer SIGKILLed inside an update; time until another process's put of that key returns";
        String name = BenchNames.next("recovery");
        files.add(Path.of("/dev/shm", name.substring(1)));
        try (IpcMap<Long, Rec8> m = MapSubjects.createIpc(name, RECOVERY_ENTRIES)) {
            m.put(key, Rec8.of(0));
            double[] killed = new double[reps];
            double[] halted = new double[reps];
            List<String> haltOptions = new ArrayList<>(workerOptions());
            haltOptions.add("-Dipcarc.map.crashAt=UPDATE_JOURNALED");
            for (int r = 0; r < reps; r++) {
                try (ChildJvm w = ChildJvm.start(workerOptions(), MapWorker.class, "hold", "ipc", name, Long.toString(key))) {
                    w.awaitLine("inside", Duration.ofSeconds(120));
                    w.kill();
                    long t0 = System.nanoTime();
                    m.put(key, Rec8.of(1));
                    killed[r] = (System.nanoTime() - t0) / 1e6;
                }
                try (ChildJvm w = ChildJvm.start(haltOptions, MapWorker.class, "put", "ipc", name, Long.toString(key))) {
                    int exit = w.awaitExit(Duration.ofSeconds(120));
                    long t0 = System.nanoTime();
                    m.put(key, Rec8.of(2));
                    halted[r] = (System.nanoTime() - t0) / 1e6;
                    if (exit != 137) {
                        throw new IllegalStateException("the put worker did not halt at its crash point: exit=" + exit);
                    }
                }
                if (!m.get(key).equals(Rec8.of(2))) {
                    throw new IllegalStateException("the put after the recovery is not visible: key=" + key);
                }
            }
            out("row", section, "IpcMap: SIGKILL inside compute() (under the stripe lock), each kill in turn", msList(killed));
            out("row", section, "IpcMap: halted inside put(), its update journaled (crash point UPDATE_JOURNALED; the put "
                    + "undoes it), each in turn", msList(halted));
            String c = chronicle == null ? "not runnable on this JDK (" + chronicleFailure + ")" : chronicleRecovery(key);
            out("row", section, "Chronicle Map: SIGKILL holding queryContext(key).writeLock()", c);
            double worst = Math.max(Arrays.stream(killed).max().orElseThrow(), Arrays.stream(halted).max().orElseThrow());
            out("floor", "recovery: another process's put succeeds <= 10 ms after a writer is SIGKILLed inside an update (every try)",
                    "IpcMap " + msList(killed) + " (SIGKILL in compute), " + msList(halted) + " (halted in put); worst "
                            + String.format(Locale.ROOT, "%.2f ms", worst) + "; Chronicle Map: " + c, worst <= 10 ? "met" : "MISSED");
        }
    }

    private static String msList(double[] ms) {
        StringBuilder b = new StringBuilder();
        for (double v : ms) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return b.append(" ms").toString();
    }

    private String chronicleRecovery(long key) throws Exception {
        Path file = chronicleFile("chronicle-recovery");
        ChronicleMap<Long, Rec8> m = MapSubjects.chronicle(file.toFile(), RECOVERY_ENTRIES);
        m.put(key, Rec8.of(0));
        try (ChildJvm w = ChildJvm.start(workerOptions(), MapWorker.class, "hold", "chronicle", file.toString(), Long.toString(key))) {
            w.awaitLine("inside", Duration.ofSeconds(120));
            w.kill();
        }
        long t0 = System.nanoTime();
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                m.put(key, Rec8.of(1));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "chronicle-put-after-kill");
        t.setDaemon(true);
        t.start();
        t.join(RECOVERY_TIMEOUT_MS);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (t.isAlive()) {
            return String.format(Locale.ROOT, "no put within the bench's %d s timeout (still waiting for the dead writer's lock)",
                    TimeUnit.MILLISECONDS.toSeconds(RECOVERY_TIMEOUT_MS));
        }
        if (failure[0] != null) {
            return String.format(Locale.ROOT, "the put threw after %.0f ms: %s: %s", ms, failure[0].getClass().getSimpleName(),
                    String.valueOf(failure[0].getMessage()).lines().findFirst().orElse(""));
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private void cleanup() {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the shutdown hook tries again
            }
        }
        if (sink == 42) {
            System.out.println("note\tsink");
        }
    }
}
