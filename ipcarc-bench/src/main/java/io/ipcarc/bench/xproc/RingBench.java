package io.ipcarc.bench.xproc;

import io.ipcarc.bench.Floors;
import io.ipcarc.bench.MachineInfo;
import io.ipcarc.bench.SvgChart;
import io.ipcarc.bench.kafka.KafkaReporterThroughput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./bench/run --ring}: only the ring's rows (throughput against Agrona, ping-pong against
 * Agrona and the C floor, end to end, reporter CPU, the Kafka reporter into a local broker), in
 * separate JVMs, and the ring's floors from the same run. It rewrites only the ring section of
 * {@code benchmarks.md} (between the {@value #BEGIN} and {@value #END} markers, or from
 * {@value #HEADING} up to the next {@code ## Reproduce}), and the ring chart, leaving the other
 * sections as they are.
 */
public final class RingBench {
    /** Start of the ring section in benchmarks.md. */
    public static final String BEGIN = "<!-- ring section: ./bench/run --ring rewrites it -->";
    /** End of the ring section. */
    public static final String END = "<!-- end of the ring section -->";
    /** The ring section's heading. */
    public static final String HEADING = "## The ring across processes";
    /** The ring chart's file name. */
    public static final String CHART = "benchmarks-ring.svg";
    /** The full run's floor table, above the ring section (Report); its ring rows follow each ring run. */
    static final String FLOORS_HEADING = "## Floors of the ring";
    private static final String TABLE_HEAD = "| floor | measured | verdict |\n|---|---|---|\n";

    private RingBench() {
    }

    /**
     * Runs the ring rows and floors and rewrites the ring section of benchmarks.md.
     *
     * @param smoke a run of seconds that only proves the harness works
     * @param out the directory of benchmarks.md (created with only this section if absent)
     * @throws IOException if a file cannot be read or written
     */
    public static void run(boolean smoke, Path out) throws IOException {
        MachineInfo machine = MachineInfo.current();
        XprocSuite xproc = new XprocSuite(smoke, smoke ? 1 : XprocSuite.FULL_REPS, null);
        String body = xproc.run();
        // The Kafka rows belong to the ring section too: without them a --ring run would drop
        // the section that the Kafka floor refers to.
        KafkaReporterThroughput.Result kafka = KafkaReporterThroughput.measureForSuite(smoke);
        List<Floors.Floor> floors = new ArrayList<>(xproc.floors());
        floors.add(kafka.floor());
        String section = section(machine, smoke, floors, body + kafka.markdown());
        Files.createDirectories(out);
        Path md = out.resolve("benchmarks.md");
        String doc = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : "";
        Files.writeString(md, syncFloors(splice(doc, section), floors), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(CHART), SvgChart.render("Ring across processes: messages/s (log scale; grey = "
                + "Agrona and sockets) - " + machine.date() + (smoke ? " (smoke run)" : ""), xproc.throughputBars(), "msg/s",
                "Ping-pong round trip of 64 bytes between two JVMs, ns: p50 and p99 (HdrHistogram)", xproc.latencyBars(), "ns"),
                StandardCharsets.UTF_8);
        for (Floors.Floor f : floors) {
            System.out.println("# floor: " + f.floor() + ": " + f.measured() + " -> " + f.verdict());
        }
        System.out.println("# wrote the ring section of " + md + " and " + out.resolve(CHART));
    }

    /**
     * The ring section: what it ran on, the floors, then the harness's tables.
     *
     * @param machine the machine
     * @param smoke whether this was a smoke run
     * @param floors the ring floors of this run
     * @param body the harness's Markdown
     * @return the section, markers included
     */
    static String section(MachineInfo machine, boolean smoke, List<Floors.Floor> floors, String body) {
        StringBuilder s = new StringBuilder();
        s.append(BEGIN).append('\n').append(HEADING).append("\n\n");
        if (smoke) {
            s.append("**Smoke run: the figures below only prove that the harness works; they are not measurements.**\n\n");
        }
        s.append(String.format(Locale.ROOT, "Measured by `./bench/run --ring` on %s: %s, binding %s, every row in separate JVMs"
                + " of that JDK; %s, %d cores available, shared with other work (the figures are noisy: compare rows of this"
                + " run, not across runs); load average when it started: %s.%n%n", machine.date(), machine.jdk(), Bindings.current(),
                machine.cpu(), machine.cores(), loadAverage()));
        s.append("![Ring throughput and ping-pong latency](").append(CHART).append(")\n\n");
        s.append("### Ring floors (this run)\n\n").append(TABLE_HEAD);
        for (Floors.Floor f : floors) {
            s.append(row(f));
        }
        s.append('\n').append(body.strip()).append("\n\n").append(END).append('\n');
        return s.toString();
    }

    /**
     * Replaces the ring section of {@code doc} with {@code section}: between the markers, else
     * from the ring heading up to {@code ## Reproduce} (or the end), else appended.
     *
     * @param doc benchmarks.md as it is
     * @param section the new section
     * @return benchmarks.md with the new section
     */
    static String splice(String doc, String section) {
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        if (b >= 0 && e > b) {
            return doc.substring(0, b) + section + doc.substring(e + END.length()).replaceFirst("^\n", "");
        }
        int h = doc.indexOf(HEADING + "\n");
        if (h >= 0) {
            int r = doc.indexOf("\n## Reproduce", h);
            return doc.substring(0, h) + section + (r < 0 ? "" : doc.substring(r));
        }
        return doc + (doc.isEmpty() || doc.endsWith("\n") ? "" : "\n") + section;
    }

    /**
     * Replaces the ring rows of the full run's floor table ({@code ## Floors of the ring}, above
     * the ring section) with this run's, keeping its other rows (Kafka's, unless this run measured
     * Kafka too), so that the page never shows two verdicts for one floor. A page without that
     * table is returned as it is.
     *
     * @param doc benchmarks.md with the new ring section
     * @param floors this run's ring floors
     * @return the page with the table's ring rows replaced
     */
    static String syncFloors(String doc, List<Floors.Floor> floors) {
        int h = doc.indexOf(FLOORS_HEADING);
        int b = doc.indexOf(BEGIN);
        if (h < 0 || b < h) {
            return doc;
        }
        int t = doc.indexOf(TABLE_HEAD, h);
        if (t < 0 || t > b) {
            return doc;
        }
        int end = doc.indexOf("\n\n", t);
        if (end < 0 || end > b) {
            end = b;
        }
        StringBuilder rows = new StringBuilder(TABLE_HEAD);
        for (Floors.Floor f : floors) {
            rows.append(row(f));
        }
        boolean kafkaMeasured = floors.stream().anyMatch(f -> f.floor().startsWith("Kafka"));
        for (String line : doc.substring(t + TABLE_HEAD.length(), end).split("\n")) {
            if (line.startsWith("| Kafka") && !kafkaMeasured) {
                rows.append(line).append('\n');
            }
        }
        return doc.substring(0, t) + rows.toString().stripTrailing() + doc.substring(end);
    }

    private static String row(Floors.Floor f) {
        return "| " + f.floor() + " | " + f.measured() + " | " + (f.verdict().equals("met") ? "met" : "**" + f.verdict() + "**")
                + " |\n";
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
