package io.ipcarc.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds {@code pthread_pair.c} with gcc in a temporary directory, runs it, and reads the
 * nanoseconds per lock+unlock pair it prints: the hardware floor for IpcArc's mutex.
 */
public final class NativeMutexBaseline {
    /** Key of the figure in the report. */
    public static final String KEY = "c.pthreadPair";
    private static final String LABEL = "C: pthread_mutex_lock + unlock (robust, pshared, errorcheck)";

    private NativeMutexBaseline() {
    }

    /**
     * @param iterations pairs per run
     * @param runs how many runs (samples)
     * @return the figure, or a missing one saying why (no gcc, build failure)
     */
    public static Figure measure(long iterations, int runs) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ipcarc-bench-c");
            Path src = dir.resolve("pthread_pair.c");
            try (InputStream in = NativeMutexBaseline.class.getResourceAsStream("pthread_pair.c")) {
                Files.copy(in, src);
            }
            Path bin = dir.resolve("pthread_pair");
            List<String> build = run(List.of("gcc", "-O2", "-o", bin.toString(), src.toString(), "-pthread"));
            if (!Files.isExecutable(bin)) {
                return Figure.missing(KEY, LABEL, "ns/op", "gcc build failed: " + String.join(" ", build));
            }
            List<Double> samples = new ArrayList<>();
            for (String line : run(List.of(bin.toString(), Long.toString(iterations), Integer.toString(runs)))) {
                if (line.startsWith("ns_per_op ")) {
                    samples.add(Double.parseDouble(line.substring("ns_per_op ".length()).trim()));
                }
            }
            if (samples.isEmpty()) {
                return Figure.missing(KEY, LABEL, "ns/op", "the C program printed no figure");
            }
            return Figure.of(KEY, LABEL, samples, "ns/op");
        } catch (IOException e) {
            return Figure.missing(KEY, LABEL, "ns/op", "cannot build or run the C baseline: " + e.getMessage());
        } finally {
            deleteTree(dir);
        }
    }

    private static List<String> run(List<String> cmd) throws IOException {
        return Processes.output(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
