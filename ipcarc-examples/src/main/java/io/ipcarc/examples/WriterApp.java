package io.ipcarc.examples;

import io.ipcarc.IpcArcException;
import io.ipcarc.SegmentNames;
import io.ipcarc.launcher.Allocation;
import io.ipcarc.ring.EntryWriter;
import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
import io.ipcarc.ring.WriterMode;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code writer}: publishes ticks into the ring, creating it or continuing after its last
 * published entry.
 */
@Command(name = "writer", mixinStandardHelpOptions = true,
        description = {"Publishes market ticks into the ring, creating it or continuing after its last entry.",
            "A new ring gets --capacity, --reader-slots and --readers. Prints a status line to stderr every second;"
                + " SIGINT/SIGTERM stop it cleanly (exit 0). A lossless ring keeps the ticks its registered readers"
                + " (--readers) have not read after the writer stops, until their reporters have read them (or ipcarc rm"
                + " NAME removes it); a lossy ring is removed by its last close."})
final class WriterApp implements Callable<Integer> {
    @Option(names = "--name", defaultValue = "/rpt_sys_shm", description = "The ring's segment name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--count", paramLabel = "N", description = "Stop after sequence N-1 (default: never).")
    long count = Long.MAX_VALUE;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "10000",
            description = "Entries per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--lossless", description = "Wait for the slowest registered reader instead of overwriting.")
    boolean lossless;

    @Option(names = "--capacity", paramLabel = "C", defaultValue = "65536",
            description = "Entries, a power of two from 2 to 2^24, used when creating (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--reader-slots", paramLabel = "N", defaultValue = "8",
            description = "Reader slots, 1 to 64, used when creating (default: ${DEFAULT-VALUE}).")
    int readerSlots;

    @Option(names = "--readers", paramLabel = "ID", split = ",",
            description = "Reader ids to register before the first entry (e.g. 0,1): a lossless writer waits for them"
                    + " from sequence 0, whenever their reporters start.")
    int[] readers = {};

    @Option(names = "--wait", defaultValue = "block",
            description = "How a lossless writer waits for readers: block (sleep in the kernel until a reader commits),"
                    + " backoff, spin, yield or sleep (default: ${DEFAULT-VALUE}).")
    WaitStrategy wait;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RingOptions options = validate();
        Signals.install();
        String who = "writer";
        try (Ring<Tick> ring = Ring.openOrCreate(name, Tick.TYPE, options);
             RingWriter<Tick> writer = ring.claimWriter(lossless ? WriterMode.LOSSLESS : WriterMode.LOSSY, wait)) {
            System.err.printf("%s: %s ring=%s name=%s capacity=%d readers=%d, continuing at seq=%d, mode=%s%n", who,
                    ring.created() ? "created" : "reopened", HexFormat.of().toHexDigits(ring.ringId()), ring.name(),
                    ring.capacity(), ring.readerSlots(), writer.nextSequence(), lossless ? "lossless" : "lossy");
            return run(ring, writer);
        } catch (IllegalArgumentException e) {
            // Reserved readers the existing ring has no slots for; nothing was created (or it is removed again).
            throw Main.usage(spec, "--readers: " + e.getMessage());
        } catch (IpcArcException e) {
            System.err.println(who + ": error: " + e.getMessage());
            return Main.FAILED;
        }
    }

    private RingOptions validate() {
        if (count < 0) {
            throw Main.usage(spec, "--count must not be negative: count=" + count);
        }
        if (rate < 0) {
            throw Main.usage(spec, "--rate must not be negative: rate=" + rate);
        }
        name = Main.checked(spec, "--name", () -> SegmentNames.normalize(name));
        RingOptions sized = Main.checked(spec, "--capacity", () -> RingOptions.defaults().withCapacity(capacity));
        RingOptions slots = Main.checked(spec, "--reader-slots", () -> sized.withReaderSlots(readerSlots));
        return Main.checked(spec, "--readers", () -> slots.withReservedReaders(readers));
    }

    private int run(Ring<Tick> ring, RingWriter<Tick> writer) {
        long clockBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        EntryWriter body = (e, seq) -> Tick.write(e, seq, clockBase + System.nanoTime());
        Status status = new Status(ring, writer);
        long allocated0 = Allocation.ofThisThread();
        long t0 = System.nanoTime();
        long first = writer.nextSequence();
        int rounds = 0;
        while (Signals.running() && writer.nextSequence() < count) {
            if (rate > 0) {
                long due = t0 + (long) ((writer.nextSequence() - first) * (1e9 / rate));
                long ahead = due - System.nanoTime();
                if (ahead > 50_000) {
                    LockSupport.parkNanos(Math.min(ahead, 10_000_000L));
                    status.maybePrint();
                    continue;
                }
            }
            if (writer.tryPublish(body) == RingWriter.NO_ROOM) {
                writer.idle(wait, rounds++);
                if ((rounds & 1023) == 0) {
                    status.maybePrint();
                }
                continue;
            }
            rounds = 0;
            if ((writer.nextSequence() & 1023) == 0) {
                status.maybePrint();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long n = writer.nextSequence() - first;
        long allocated = Allocation.ofThisThread() - allocated0;
        System.err.printf("writer: stopped at seq=%d: %,d entries in %.2f s (%,.0f/s), lossless waits=%d, wake-ups=%d,"
                + " allocated=%d bytes (%.4f per entry)%n", writer.nextSequence(), n, secs, n / Math.max(secs, 1e-9),
                writer.waits(), writer.wakeups(), allocated, n == 0 ? 0.0 : (double) allocated / n);
        System.err.println("writer: " + afterLastClose(ring, writer.nextSequence()));
        return Main.OK;
    }

    /** What the last close of the ring (this writer's, if no reporter holds it) will do with what is unread. */
    private String afterLastClose(Ring<Tick> ring, long next) {
        if (!lossless) {
            return "a lossy ring is removed by its last close, read or not";
        }
        if (!ring.keepsUnreadEntries()) {
            return "every registered reader has read everything: the last close removes the ring";
        }
        StringBuilder unread = new StringBuilder();
        for (int i = 0; i < ring.readerSlots(); i++) {
            if (ring.readerState(i).registered() && ring.readerPosition(i) < next) {
                unread.append(unread.length() == 0 ? "" : ", ").append("reader ").append(i).append(": ")
                        .append(next - ring.readerPosition(i)).append(" unread");
            }
        }
        return "the ring keeps what its registered readers have not read after the last close (" + unread
                + "); their reporters get it when they start, ipcarc rm " + ring.name() + " discards it";
    }

    /** The writer's status line, at most once a second: rate, and each registered reader's lag and losses. */
    private static final class Status {
        private final Ring<Tick> ring;
        private final RingWriter<Tick> writer;
        private long next = System.nanoTime() + 1_000_000_000L;
        private long lastSeq;
        private long lastT = System.nanoTime();

        Status(Ring<Tick> ring, RingWriter<Tick> writer) {
            this.ring = ring;
            this.writer = writer;
            this.lastSeq = writer.nextSequence();
        }

        void maybePrint() {
            long now = System.nanoTime();
            if (now - next < 0) {
                return;
            }
            long seq = writer.nextSequence();
            StringBuilder sb = new StringBuilder(String.format("writer: seq=%d rate=%,.0f/s", seq,
                    (seq - lastSeq) / Math.max((now - lastT) / 1e9, 1e-9)));
            for (int i = 0; i < ring.readerSlots(); i++) {
                ReaderState state = ring.readerState(i);
                if (state.registered()) {
                    sb.append(String.format(" r%d[%s lag=%d lost=%d]", i, state.name().toLowerCase(java.util.Locale.ROOT),
                            seq - ring.readerPosition(i), ring.readerLost(i)));
                }
            }
            System.err.println(sb.append(" waits=").append(writer.waits()));
            lastSeq = seq;
            lastT = now;
            next = now + 1_000_000_000L;
        }
    }
}
