package io.ipcarc.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code pthread_pair.c} with gcc, runs it, and reads the nanoseconds per lock+unlock
 * pair it prints: the hardware floor for IpcArc's mutex.
 */
public final class NativeMutexBaseline {
    /** Key of the figure in the report. */
    public static final String KEY = "c.pthreadPair";
    static final String LABEL = "C: pthread_mutex_lock + unlock (robust, pshared, errorcheck)";

    private NativeMutexBaseline() {
    }

    /**
     * Returns the figure, or a missing one saying why (no gcc, build failure).
     *
     * @param iterations pairs per run
     * @param runs how many runs (samples)
     * @return the figure, or a missing one saying why (no gcc, build failure)
     */
    public static Figure measure(long iterations, int runs) {
        try (NativeProgram c = NativeProgram.build("pthread_pair.c", "-pthread")) {
            if (c.failure() != null) {
                return Figure.missing(KEY, LABEL, "ns/op", c.failure());
            }
            List<Double> samples = new ArrayList<>();
            for (String line : c.run(Long.toString(iterations), Integer.toString(runs))) {
                if (line.startsWith("ns_per_op ")) {
                    samples.add(Double.parseDouble(line.substring("ns_per_op ".length()).trim()));
                }
            }
            if (samples.isEmpty()) {
                return Figure.missing(KEY, LABEL, "ns/op", "the C program printed no figure");
            }
            return Figure.of(KEY, LABEL, samples, "ns/op");
        } catch (IOException e) {
            return Figure.missing(KEY, LABEL, "ns/op", "cannot run the C baseline: " + e.getMessage());
        }
    }
}
