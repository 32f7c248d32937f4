package io.ipcarc.bench;

import io.ipcarc.IpcArc;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Separate JVMs ({@link ContentionWorker}) contending on one {@code IpcArc<Long>} lock: the
 * summed operations per second in each interval, and the latency of one locked increment
 * with HdrHistogram (warm-up excluded). Also checks that the final count is exact.
 */
public final class ContentionHarness {
    /**
     * Result of a run.
     *
     * @param throughput summed operations per second, over the intervals
     * @param latency latencies of one locked increment, warm-up excluded
     * @param countExact whether the final count equals the operations reported
     * @param note the final count and the operations reported
     */
    public record Result(Figure throughput, Histogram latency, boolean countExact, String note) {
    }

    private ContentionHarness() {
    }

    /**
     * Returns the figures.
     *
     * @param workers how many processes
     * @param warmupMs warm-up per process, not measured
     * @param intervals throughput samples
     * @param intervalMs length of a sample
     * @param latencyMs how long each process records latencies
     * @return the figures
     */
    public static Result run(int workers, long warmupMs, int intervals, long intervalMs, long latencyMs) {
        String label = workers + " processes contending on one IpcArc<Long> lock (acquire+get+set+close)";
        String name = BenchNames.next("contended");
        String gateName = BenchNames.next("gate");
        List<ChildJvm> procs = new ArrayList<>();
        try (IpcArc<Long> counter = IpcArc.create(name, 0L);
             IpcArc<Long> gate = IpcArc.create(gateName, 0L)) {
            for (int i = 0; i < workers; i++) {
                procs.add(start(name, gateName, workers, warmupMs, intervals, intervalMs, latencyMs));
            }
            // Generous: the workers' own schedule, plus five minutes for starting and stopping on a busy machine.
            Duration bound = Duration.ofMillis(warmupMs + intervals * intervalMs + latencyMs).plusMinutes(5);
            List<List<String>> outputs = new ArrayList<>();
            for (ChildJvm p : procs) {
                p.awaitExit(bound);
                outputs.add(p.lines());
            }
            double[] perInterval = new double[intervals];
            Histogram latency = new Histogram(3);
            long total = 0;
            for (List<String> out : outputs) {
                if (out.stream().noneMatch("DONE"::equals)) {
                    return new Result(Figure.missing("xproc.contended", label, "ops/s", "a worker failed: " + out),
                            latency, false, "");
                }
                int i = 0;
                for (String line : out) {
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "INTERVAL" -> perInterval[i++] += Long.parseLong(f[1]) * 1e9 / Long.parseLong(f[2]);
                        case "HISTOGRAM" -> latency.add(Histogram.decodeFromCompressedByteBuffer(
                                ByteBuffer.wrap(Base64.getDecoder().decode(f[1])), 0));
                        case "TOTAL" -> total += Long.parseLong(f[1]);
                        default -> {
                            // other output is informational
                        }
                    }
                }
            }
            List<Double> samples = new ArrayList<>();
            for (double d : perInterval) {
                samples.add(d);
            }
            long finalCount = counter.read();
            return new Result(Figure.of("xproc.contended", label, samples, "ops/s"), latency, finalCount == total,
                    "final count " + finalCount + ", operations reported " + total);
        } catch (IllegalStateException | DataFormatException e) {
            return new Result(Figure.missing("xproc.contended", label, "ops/s", "harness failed: " + e),
                    new Histogram(3), false, "");
        } finally {
            procs.forEach(ChildJvm::close);
        }
    }

    private static ChildJvm start(String name, String gate, int workers, long warmupMs, int intervals, long intervalMs,
                                  long latencyMs) {
        return JavaCommand.current().withOptions("-XX:+UseSerialGC", "-Xmx64m").main(ContentionWorker.class, name, gate,
                Integer.toString(workers), Long.toString(warmupMs), Integer.toString(intervals), Long.toString(intervalMs),
                Long.toString(latencyMs)).start();
    }

}
