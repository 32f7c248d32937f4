package io.ipcarc.bench.map;

import io.ipcarc.bench.JdkTarget;
import io.ipcarc.bench.MachineInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./bench/run --map}: the map rows of issue 22 ({@link MapRows}) in one JVM per JDK, each
 * with its own baselines (Chronicle Map, ConcurrentHashMap) measured in the same run; rewrites only
 * the map section of {@code benchmarks.md} (between {@value #BEGIN} and {@value #END}, else
 * before {@code ## Reproduce}, else at the end).
 */
public final class MapBench {
    /** Start of the map section in benchmarks.md. */
    public static final String BEGIN = "<!-- map section: ./bench/run --map rewrites it -->";
    /** End of the map section. */
    public static final String END = "<!-- end of the map section -->";

    private MapBench() {
    }

    /** What one JDK's run printed, by kind. */
    private record JdkRows(JdkTarget jdk, Map<String, List<String[]>> rows, List<String[]> floors, List<String> notes,
                           String failure) {
    }

    /**
     * Runs the map rows on each JDK and rewrites the map section.
     *
     * @param smoke seconds, not minutes
     * @param out the directory of benchmarks.md
     * @param jdks the JDKs (empty: this JVM's)
     * @throws IOException if the report cannot be written
     */
    public static void run(boolean smoke, Path out, List<JdkTarget> jdks) throws IOException {
        MachineInfo machine = MachineInfo.current();
        List<JdkTarget> targets = jdks.isEmpty() ? List.of(JdkTarget.current()) : jdks;
        List<JdkRows> runs = new ArrayList<>();
        for (JdkTarget jdk : targets) {
            System.out.println("# map rows on " + jdk.label());
            runs.add(runOn(jdk, smoke));
        }
        String section = section(machine, smoke, runs);
        Files.createDirectories(out);
        Path md = out.resolve("benchmarks.md");
        String doc = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : "";
        Files.writeString(md, splice(doc, section), StandardCharsets.UTF_8);
        for (JdkRows r : runs) {
            for (String[] f : r.floors()) {
                System.out.println("# floor, " + r.jdk().label() + ": " + f[1] + ": " + f[2] + " -> " + f[3]);
            }
            if (r.failure() != null) {
                System.out.println("# map rows FAILED on " + r.jdk().label() + ": " + r.failure());
            }
        }
        System.out.println("# wrote the map section of " + md);
    }

    private static JdkRows runOn(JdkTarget jdk, boolean smoke) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.addAll(jdk.forkOptions());
        cmd.add("-Xmx2g"); // after forkOptions' -Xmx256m: a million-entry ConcurrentHashMap beside the keys
        cmd.addAll(MapSubjects.chronicleOptions(jdk.feature()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MapRows.class.getName()));
        if (smoke) {
            cmd.add("smoke");
        }
        Map<String, List<String[]>> rows = new LinkedHashMap<>();
        List<String[]> floors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> other = new ArrayList<>();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t");
                if (f[0].equals("row") && f.length == 4) {
                    rows.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f);
                    System.out.println("#   " + f[2] + ": " + f[3]);
                } else if (f[0].equals("floor") && f.length == 4) {
                    floors.add(f);
                } else if (f[0].equals("note") && f.length == 2) {
                    notes.add(f[1]);
                } else {
                    other.add(line);
                    System.out.println("# map rows: " + line);
                }
            }
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the map rows", e);
        }
        String failure = exit == 0 ? null : "exit " + exit + "; last output: "
                + String.join(" | ", other.subList(Math.max(0, other.size() - 5), other.size()));
        return new JdkRows(jdk, rows, floors, notes, failure);
    }

    static String section(MachineInfo machine, boolean smoke, List<JdkRows> runs) {
        StringBuilder s = new StringBuilder();
        s.append(BEGIN).append("\n## Map (IpcMap beside Chronicle Map and ConcurrentHashMap)\n\n");
        if (smoke) {
            s.append("**Smoke run: the figures below only prove that the harness works; they are not measurements.**\n\n");
        }
        s.append(String.format(Locale.ROOT, "Measured by `./bench/run --map` on %s: one JVM per JDK (`io.ipcarc.bench.map.MapRows`),"
                + " each map's figures and its baselines' from that same JVM; %s, %d cores available, shared with other work "
                + "(compare rows of one run, not across runs). Ratios are of calls per second (higher: IpcMap faster), the median "
                + "of per-round ratios of batches timed one right after the other.%n%n", machine.date(), machine.cpu(),
                machine.cores()));
        s.append("What the rows call: `IpcMap.get(key)` returns a new record (80 bytes: header and 8 longs), as "
                + "`ChronicleMap.get` and `ConcurrentHashMap.get` hand out one (Chronicle's a new one, CHM's the one stored); "
                + "`IpcMap.get(key, into)` copies the 64 bytes into the caller's array. `IpcMap.put` and `ChronicleMap.put` "
                + "return the old value (a new record); `IpcMap.set` returns whether the key was there. Every write of IpcMap "
                + "takes its stripe's lock through `PayloadLock.tryAcquire()`, which hands out an `Optional<PayloadGuard>`: "
                + "that guard is what the allocation row of `set` counts. The recovery rows start a writer JVM, let it enter an "
                + "update of one key, SIGKILL it (`Process.destroyForcibly`), and time the next put of that key from this JVM; "
                + "Chronicle's put runs in a thread the bench waits for at most 10 s.\n\n");
        s.append("Reading the get rows (an analysis, not a profile): at a million entries nearly every get of a shared-memory map "
                + "waits on cache misses that depend on each other (the key object, the index word, the entry), each a trip to DRAM; "
                + "IpcMap's lookup (probe, state check, copy, re-validation) is long enough that the CPU cannot start the next get's "
                + "misses while it waits, where ConcurrentHashMap's few instructions let consecutive gets overlap theirs.\n\n");
        for (JdkRows r : runs) {
            s.append("### ").append(r.jdk().label()).append("\n\n");
            for (String n : r.notes()) {
                s.append("- ").append(n).append('\n');
            }
            if (r.failure() != null) {
                s.append("- **the run failed**: ").append(r.failure()).append('\n');
            }
            s.append("\n| floor | measured | verdict |\n|---|---|---|\n");
            for (String[] f : r.floors()) {
                s.append("| ").append(f[1]).append(" | ").append(f[2]).append(" | ")
                        .append(f[3].equals("met") ? "met" : "**" + f[3] + "**").append(" |\n");
            }
            for (Map.Entry<String, List<String[]>> e : r.rows().entrySet()) {
                s.append("\n#### ").append(e.getKey()).append("\n\n| | measured |\n|---|---|\n");
                for (String[] f : e.getValue()) {
                    s.append("| ").append(f[2]).append(" | ").append(f[3]).append(" |\n");
                }
            }
            s.append('\n');
        }
        return s.append(END).append('\n').toString();
    }

    /**
     * The map section of {@code before}, if it has one, spliced into {@code after}: a full run of
     * the suite rewrites the page without running the map rows, and keeps their last figures.
     *
     * @param before the page before the run
     * @param after the page the run wrote
     * @return {@code after} with the map section of {@code before}
     */
    public static String keep(String before, String after) {
        int b = before.indexOf(BEGIN);
        int e = before.indexOf(END);
        if (b < 0 || e < b) {
            return after;
        }
        return splice(after, before.substring(b, e + END.length()) + "\n");
    }

    static String splice(String doc, String section) {
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        if (b >= 0 && e > b) {
            return doc.substring(0, b) + section + doc.substring(e + END.length()).replaceFirst("^\n", "");
        }
        int r = doc.indexOf("\n## Reproduce");
        if (r >= 0) {
            return doc.substring(0, r + 1) + section + doc.substring(r);
        }
        return doc + (doc.isEmpty() || doc.endsWith("\n") ? "" : "\n") + section;
    }
}
