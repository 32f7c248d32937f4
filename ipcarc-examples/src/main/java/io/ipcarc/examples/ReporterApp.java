package io.ipcarc.examples;

import io.ipcarc.IpcArcException;
import io.ipcarc.SegmentNames;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.kafka.TopicNames;
import io.ipcarc.launcher.Allocation;
import io.ipcarc.ring.EntryHandler;
import io.ipcarc.ring.LossListener;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingDescriptor;
import io.ipcarc.ring.RingEntry;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.StartFrom;
import io.ipcarc.ring.WaitStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reporter ID}: follows the ring as reader ID and appends every entry to
 * {@code DIR/output_ID.csv}, exactly once across kills and restarts.
 */
@Command(name = "reporter", mixinStandardHelpOptions = true,
        description = {"Follows the ring as reader ID and writes every entry exactly once, to a CSV or to Kafka.",
            "Appends to DIR/output_ID.csv (or, with --kafka and --topic, forwards to a Kafka topic), exactly once across"
                + " kills and restarts. Waits for the writer's segment if it does not exist yet; started after a lossless"
                + " writer stopped, it reads what the ring kept for it. SIGINT/SIGTERM stop it cleanly (exit 0), leaving"
                + " its slot registered for a restart. With --kafka, exit code 2 also when Kafka refuses the setup (topic"
                + " missing or not allowed, access denied)."})
final class ReporterApp implements Callable<Integer> {
    private static final int BATCH = 4096;
    /** The longest an entry waits in the reporter's buffer while more keep coming. */
    private static final long FLUSH_NANOS = 10_000_000L;

    @Parameters(index = "0", paramLabel = "ID", description = "The reader id, 0 to the ring's reader slots - 1 (at most 63).")
    int id;

    @Option(names = "--name", defaultValue = "/rpt_sys_shm", description = "The ring's segment name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where the CSV goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--wait", defaultValue = "block",
            description = "How to wait for the writer: block (sleep in the kernel), backoff, spin, yield or sleep"
                    + " (default: ${DEFAULT-VALUE}).")
    WaitStrategy wait;

    @Option(names = "--from", defaultValue = "oldest",
            description = "Where a reader that has no stored position starts: oldest or latest (default: ${DEFAULT-VALUE}).")
    StartFrom from;

    @Option(names = "--release", description = "Free the reader slot for good (a lossless writer stops waiting for it) and exit.")
    boolean release;

    @Option(names = "--wait-for-ring", paramLabel = "SECONDS",
            description = "How long to wait for the ring's segment to appear (default: as long as it takes).")
    Long waitForRing;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "Forward to Kafka (bootstrap servers, e.g. 127.0.0.1:9092) exactly once instead of writing a CSV;"
                    + " needs --topic. Ring capacity >= 32768 for full speed, 65536 recommended (docs/kafka.md).")
    String kafka;

    @Option(names = "--topic", paramLabel = "T",
            description = "The Kafka topic (it must exist; 1 to 249 characters of [a-zA-Z0-9._-], not . or ..); with --kafka.")
    String topic;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "This host's name in the Kafka transactional id (default: the host name); with --kafka.")
    String instance;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (id < 0 || id >= RingDescriptor.MAX_READERS) {
            throw Main.usage(spec, "reporter ID must be from 0 to " + (RingDescriptor.MAX_READERS - 1) + ": ID=" + id);
        }
        name = Main.checked(spec, "--name", () -> SegmentNames.normalize(name));
        if (waitForRing != null && waitForRing < 0) {
            throw Main.usage(spec, "--wait-for-ring must not be negative: seconds=" + waitForRing);
        }
        if ((kafka == null) != (topic == null) || (instance != null && kafka == null)) {
            throw Main.usage(spec, "--kafka and --topic go together (and --instance needs them): kafka=" + kafka + ", topic=" + topic);
        }
        if (topic != null) {
            topic = Main.checked(spec, "--topic", () -> TopicNames.requireLegal(topic)); // before the ring is even opened
        }
        String who = "reporter " + id;
        // Until the slot is claimed there is nothing to save: a signal ends the process at once.
        Signals.install();
        Signals.exitAtOnce(true);
        Ring<Tick> opened = open(who);
        if (opened == null) {
            return Main.FAILED;
        }
        try (Ring<Tick> ring = opened) {
            if (id >= ring.readerSlots()) {
                throw Main.usage(spec, "reporter ID must be from 0 to " + (ring.readerSlots() - 1) + " for this ring: ID=" + id
                        + ", name=" + ring.name());
            }
            if (release) {
                ring.releaseReader(id);
                System.err.println(who + ": released reader slot " + id + " of " + ring.name());
                return Main.OK;
            }
            if (kafka != null) {
                return KafkaReporter.follow(ring, id, kafka, topic, instance, wait, from);
            }
            return follow(ring, who);
        } catch (IpcArcException e) {
            System.err.println(who + ": error: " + e.getMessage());
            return Main.FAILED;
        }
    }

    /** Opens the ring, waiting for the writer to create it; null (and a message) if that fails. */
    private Ring<Tick> open(String who) {
        try {
            try {
                return Ring.open(name, Tick.TYPE, Duration.ZERO);
            } catch (SegmentNotFoundException e) {
                System.err.println(who + ": waiting for the writer's segment " + name + " ...");
                Duration patience = waitForRing == null ? Duration.ofSeconds(Long.MAX_VALUE) : Duration.ofSeconds(waitForRing);
                return Ring.open(name, Tick.TYPE, patience);
            }
        } catch (IpcArcException e) {
            System.err.println(who + ": error: " + e.getMessage());
            return null;
        }
    }

    /** Checks each entry and appends its CSV line; counts the bad ones. */
    private static final class Lines implements EntryHandler<Tick>, LossListener {
        private final CsvOutput csv;
        private final String who;
        long bad;

        Lines(CsvOutput csv, String who) {
            this.csv = csv;
            this.who = who;
        }

        @Override
        public void onEntry(RingEntry<Tick> e) {
            if (!csv.append(e, e.sequence())) {
                bad++;
                System.err.println(who + ": BAD ENTRY seq=" + e.sequence() + ": " + Tick.check(e, e.sequence()));
            }
        }

        @Override
        public void onLoss(long from, long to) {
            System.err.printf("%s: LOST seq %d..%d (%d entries): the writer overwrote them%n", who, from, to - 1, to - from);
        }
    }

    private int follow(Ring<Tick> ring, String who) {
        try (RingReader<Tick> reader = ring.claimReader(id, from);
             CsvOutput csv = CsvOutput.open(out, id, ring.ringId(), ring.name())) {
            Signals.exitAtOnce(false);
            if (csv.movedAside() != null) {
                System.err.println(who + ": output came from another ring; moved it aside to " + csv.movedAside());
            }
            long stored = reader.position();
            if (csv.lastSeq() >= 0) {
                reader.seek(csv.lastSeq() + 1);
            }
            reader.commit();
            System.err.printf("%s: ring=%s name=%s resuming at seq=%d (stored=%d, file ends at %d), output=%s%s%n", who,
                    HexFormat.of().toHexDigits(ring.ringId()), ring.name(), reader.position(), stored, csv.lastSeq(), csv.path(),
                    ring.writerAlive() ? "" : "; no writer now: reading up to seq=" + ring.writePosition() + " what the ring kept");
            Lines lines = new Lines(csv, who);
            long allocated0 = Allocation.ofThisThread();
            long first = reader.position();
            long nextStatus = System.nanoTime() + 1_000_000_000L;
            long lastPos = reader.position();
            long lastT = System.nanoTime();
            int idle = 0;
            int flushAt = Math.max(1, ring.capacity() / 4);
            long pendingSince = 0;
            while (Signals.running()) {
                long before = reader.position();
                int n = reader.poll(lines, lines, BATCH);
                long now = System.nanoTime();
                boolean progress = reader.position() != before;
                if (progress && reader.position() - reader.committedPosition() == reader.position() - before) {
                    pendingSince = now; // the first uncommitted entries
                }
                long pending = reader.position() - reader.committedPosition();
                // Write and commit in batches: a quarter of the ring (a lossless writer never waits
                // for less), or what came in the last 10 ms. Exactly once either way: the file is
                // written before the position is stored.
                if (pending > 0 && (pending >= flushAt || now - pendingSince >= FLUSH_NANOS)) {
                    csv.flush();
                    reader.commit();
                    pending = 0;
                }
                if (progress) {
                    idle = 0;
                } else {
                    // Asleep no longer than until the buffered lines are due to be written.
                    reader.idle(wait, idle++, pending > 0 ? FLUSH_NANOS - (now - pendingSince) : FLUSH_NANOS * 10);
                }
                if (n < BATCH) {
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
            long n = reader.position() - first;
            long allocated = Allocation.ofThisThread() - allocated0;
            System.err.printf("%s: stopped at seq=%d, lost=%d, bad=%d, allocated=%d bytes (%.4f per entry); slot kept (detached)"
                    + " for a restart%n", who, reader.position(), reader.lost(), lines.bad, allocated,
                    n <= 0 ? 0.0 : (double) allocated / n);
            return lines.bad == 0 ? Main.OK : Main.FAILED;
        }
    }
}
