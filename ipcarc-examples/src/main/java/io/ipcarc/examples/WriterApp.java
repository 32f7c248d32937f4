package io.ipcarc.examples;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArcException;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingDescriptor;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code writer [--name /rpt_sys_shm] [--count N] [--rate PER_SECOND] [--lossless] [--capacity C]}:
 * publishes ticks into the ring, creating it or continuing from its stored write pointer.
 */
final class WriterApp {
    static final String USAGE = "writer [--name /rpt_sys_shm] [--count N] [--rate PER_SECOND (0 = as fast as possible, default 10000)]"
            + " [--lossless] [--capacity C (power of two, default 1024; used when creating)] [--wait spin|yield|sleep|backoff]";

    private WriterApp() {
    }

    static int run(String[] args) {
        Options o = new Options(args, Set.of("--name", "--count", "--rate", "--capacity", "--wait"), Set.of("--lossless"));
        String name = o.get("--name", "/rpt_sys_shm");
        long count = o.getLong("--count", Long.MAX_VALUE);
        long rate = o.getLong("--rate", 10_000);
        int capacity = (int) o.getLong("--capacity", 1024);
        boolean lossless = o.flag("--lossless");
        WaitStrategy wait = WaitStrategy.parse(o.get("--wait", "backoff"));
        if (!o.positional().isEmpty() || rate < 0 || count < 0) {
            throw new Options.UsageException("bad arguments; usage: " + USAGE);
        }
        Signals.install();
        try (Ring ring = Ring.openOrCreate(name, capacity, ArcOptions.defaults());
             RingWriter writer = ring.claimWriter(lossless)) {
            System.err.printf("writer: %s ring=%s name=%s capacity=%d, continuing at seq=%d, mode=%s%n",
                    ring.created() ? "created" : "reopened", HexFormat.of().toHexDigits(ring.ringId()), name,
                    ring.capacity(), writer.nextSequence(), lossless ? "lossless" : "lossy");
            long clockBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            long t0 = System.nanoTime();
            long first = writer.nextSequence();
            long nextStatus = t0 + 1_000_000_000L;
            long lastSeq = first;
            long lastT = t0;
            RingWriter.EntryBody body = (buf, off, seq) -> Tick.write(buf, off, seq, clockBase + System.nanoTime());
            while (Signals.running() && writer.nextSequence() < count) {
                if (rate > 0) {
                    long due = t0 + (long) ((writer.nextSequence() - first) * (1e9 / rate));
                    long now = System.nanoTime();
                    if (due - now > 50_000) {
                        LockSupport.parkNanos(Math.min(due - now, 10_000_000L));
                        if (System.nanoTime() - nextStatus >= 0) {
                            lastSeq = status(ring, writer, lastSeq, lastT);
                            lastT = System.nanoTime();
                            nextStatus = lastT + 1_000_000_000L;
                        }
                        continue;
                    }
                }
                writer.publish(body, wait, Signals::running);
                if ((writer.nextSequence() & 1023) == 0 && System.nanoTime() - nextStatus >= 0) {
                    lastSeq = status(ring, writer, lastSeq, lastT);
                    lastT = System.nanoTime();
                    nextStatus = lastT + 1_000_000_000L;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long n = writer.nextSequence() - first;
            System.err.printf("writer: stopped at seq=%d: %,d entries in %.2f s (%,.0f/s), lossless waits=%d%n",
                    writer.nextSequence(), n, secs, n / Math.max(secs, 1e-9), writer.waits());
        } catch (IpcArcException e) {
            System.err.println("writer: error: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static long status(Ring ring, RingWriter writer, long lastSeq, long lastT) {
        long seq = writer.nextSequence();
        double secs = (System.nanoTime() - lastT) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("writer: seq=%d rate=%,.0f/s", seq, (seq - lastSeq) / Math.max(secs, 1e-9)));
        for (int i = 0; i < RingDescriptor.READER_SLOTS; i++) {
            int state = ring.readerState(i);
            if (state != RingDescriptor.READER_FREE) {
                sb.append(String.format(" r%d[%s lag=%d lost=%d]", i, state == RingDescriptor.READER_ACTIVE ? "active" : "detached",
                        seq - ring.readerPosition(i), ring.readerLost(i)));
            }
        }
        sb.append(" waits=").append(writer.waits());
        System.err.println(sb);
        return seq;
    }
}
