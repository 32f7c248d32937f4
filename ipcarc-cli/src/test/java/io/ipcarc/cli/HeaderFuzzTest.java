package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A damaged segment is an exception, never a dead JVM: at least 2,000 seeded, reproducible random
 * mutations of live segments' headers, mutex words, holder tables and descriptors, each followed
 * by a typed and an untyped load, read, tryAcquire, the CLI's inspect and close (see
 * {@link FuzzChild}), in batches of iterations per child JVM. A JVM that dies is counted by its
 * exit status (SIGABRT 134, SIGBUS 135, SIGSEGV 139) and the run goes on after the iteration that
 * killed it. Reproduce one with {@code -Dipcarc.test.seed=S}.
 */
@Timeout(600)
class HeaderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("ipcarc.test.fuzzIterations", 2000);
    private static final int BATCH = 500;
    private final String prefix = ShmNames.prefix() + "fuzz-";

    @AfterEach
    void removeLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            for (Path p : files.filter(p -> ("/" + p.getFileName()).startsWith(prefix)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void shouldSurviveRandomDamageToLiveSegmentsWithDocumentedExceptionsOnly() {
        long seed = Long.getLong("ipcarc.test.seed", System.currentTimeMillis());
        List<String> deaths = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int done = 0;
        int next = 0;
        while (next < ITERATIONS) {
            int end = Math.min(ITERATIONS, next + BATCH);
            try (ChildJvm child = ChildJvm.start(List.of("-Dipcarc.adminTimeout=PT0.05S"), FuzzChild.class,
                    String.valueOf(seed), String.valueOf(next), String.valueOf(end), prefix)) {
                int status = child.awaitExit(Duration.ofMinutes(5));
                List<String> lines = child.lines();
                int last = lines.stream().filter(l -> l.startsWith("ITER ")).mapToInt(l -> Integer.parseInt(l.substring(5)))
                        .max().orElse(next - 1);
                lines.stream().filter(l -> l.startsWith("UNDOCUMENTED") || l.startsWith("HANG")).forEach(problems::add);
                String batch = "fuzz " + next + "-" + end + ": ";
                lines.stream().filter(l -> l.startsWith("STATS ")).forEach(l -> System.out.println(batch + l));
                if (status != 0) {
                    String mutation = lines.stream().filter(l -> l.startsWith("MUTATED " + last + " ")).findFirst().orElse("");
                    deaths.add("seed=" + seed + " iteration=" + last + " exit=" + status + " " + mutation);
                }
                done += Math.max(0, last - next + 1);
                next = Math.max(last + 1, next + 1);
            }
        }
        assertThat(done).as("iterations run").isGreaterThanOrEqualTo(ITERATIONS);
        assertThat(deaths).as("JVMs that died (seed " + seed + ")").isEmpty();
        assertThat(problems).as("operations that failed otherwise than with a documented exception (seed " + seed + ")")
                .isEmpty();
    }
}
