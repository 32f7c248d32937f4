package io.ipcarc.bench;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * One of the processes of {@link ContentionHarness}: increments a shared counter under its
 * lock as fast as it can. Warms up, waits at a gate until every worker is warm, then prints
 * one {@code INTERVAL ops nanos} line per throughput interval, a {@code HISTOGRAM base64}
 * line with the latency of each acquire+get+set+close (ns), {@code TOTAL ops} and {@code DONE}.
 */
public final class ContentionWorker {
    private ContentionWorker() {
    }

    /**
     * Runs one contending process of the harness.
     *
     * @param args counter name, gate name, workers, warm-up ms, intervals, interval ms, latency ms
     */
    public static void main(String[] args) {
        String name = args[0];
        String gateName = args[1];
        int workers = Integer.parseInt(args[2]);
        long warmupMs = Long.parseLong(args[3]);
        int intervals = Integer.parseInt(args[4]);
        long intervalMs = Long.parseLong(args[5]);
        long latencyMs = Long.parseLong(args[6]);
        long total = 0;
        try (IpcArc<Long> counter = IpcArc.load(name, Long.class);
             IpcArc<Long> gate = IpcArc.load(gateName, Long.class)) {
            total += runFor(counter, warmupMs);
            try (Guard<Long> g = gate.acquire()) {
                g.set(g.get() + 1);
            }
            long gateDeadline = System.nanoTime() + 120_000_000_000L;
            while (gate.read() < workers) {
                if (System.nanoTime() > gateDeadline) {
                    throw new IllegalStateException("the other workers never arrived: gate=" + gateName);
                }
                Thread.onSpinWait();
            }
            for (int i = 0; i < intervals; i++) {
                long t0 = System.nanoTime();
                long ops = runFor(counter, intervalMs);
                System.out.println("INTERVAL " + ops + " " + (System.nanoTime() - t0));
                total += ops;
            }
            Histogram h = new Histogram(3);
            long end = System.nanoTime() + latencyMs * 1_000_000L;
            long t = System.nanoTime();
            while (t < end) {
                increment(counter);
                long t1 = System.nanoTime();
                h.recordValue(t1 - t);
                t = t1;
                total++;
            }
            ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int len = h.encodeIntoCompressedByteBuffer(buf);
            System.out.println("HISTOGRAM " + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), len)));
        }
        System.out.println("TOTAL " + total);
        System.out.println("DONE");
        System.out.flush();
    }

    private static long runFor(IpcArc<Long> counter, long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long ops = 0;
        do {
            for (int i = 0; i < 256; i++) {
                increment(counter);
            }
            ops += 256;
        } while (System.nanoTime() < end);
        return ops;
    }

    private static void increment(IpcArc<Long> counter) {
        try (Guard<Long> g = counter.acquire()) {
            g.set(g.get() + 1);
        }
    }
}
