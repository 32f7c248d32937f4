package io.ipcarc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apps' command line as a user meets it: {@code Main} in a child JVM, its exit code, its
 * standard output and standard error apart, and /dev/shm afterwards.
 */
@Timeout(300)
class AppProcessUsageTest {
    private final ShmNames names = new ShmNames();

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        names.close();
    }

    /** What a finished child left: exit code, stdout lines, stderr lines, and its pid. */
    private record Exit(int code, List<String> out, List<String> err, long pid) {
    }

    /** Runs {@code Main} with {@code args} in a child JVM, its two output streams kept apart. */
    private Exit main(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = JavaCommand.current().withOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m").main(Main.class, args)
                .processBuilder().redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("still running after 120 s: " + String.join(" ", args));
        }
        return new Exit(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8),
                p.pid());
    }

    /** @return the entries of /dev/shm whose name contains {@code part} */
    private static List<String> shmContaining(String part) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(part)).toList();
        }
    }

    @Test
    void shouldPrintHelpAndExitZeroForEachRingCommand() throws Exception {
        for (String cmd : new String[] {"writer", "reporter", "demo"}) {
            Exit e = main(cmd, "--help");
            assertThat(e.code()).as(cmd).isZero();
            assertThat(e.out()).as(cmd).isNotEmpty();
            assertThat(e.out().get(0)).as(cmd).startsWith("Usage: ipcarc-examples " + cmd);
            assertThat(String.join("\n", e.out())).as(cmd).contains("--help").contains("Exit codes:");
            assertThat(e.err()).as(cmd).isEmpty();
        }
    }

    @Test
    void shouldRefuseNonsenseWithExitTwoOneLineNamingTheOptionAndNoSegmentLeft() throws Exception {
        String name = names.next("cli");
        String[][] bad = {
            {"writer", "--name", name, "--capacity", "3"},
            {"writer", "--name", name, "--readers", "0,x"},
            {"writer", "--name", name, "--readers", "0,8"},
            {"demo", "--count", "-1"},
            {"demo", "--capacity", "1000"},
            {"reporter", "0", "--name", name, "--wait-for-ring", "-1"},
        };
        String[] named = {"--capacity", "--readers", "--readers", "--count", "--capacity", "--wait-for-ring"};
        String[] cause = {"capacity=3", "'x'", "id=8", "count=-1", "capacity=1000", "seconds=-1"};
        for (int i = 0; i < bad.length; i++) {
            String what = String.join(" ", bad[i]);
            Exit e = main(bad[i]);
            assertThat(e.code()).as(what).isEqualTo(2);
            assertThat(e.out()).as(what).isEmpty();
            assertThat(e.err()).as(what).singleElement().asString().startsWith("usage error: ").contains(named[i]).contains(cause[i])
                    .doesNotContain("Exception").doesNotContain("\tat ");
            // The demo would name its ring after its own pid; the others use the test's name.
            assertThat(shmContaining("-demo-ring-" + e.pid())).as(what).isEmpty();
        }
        assertThat(ShmNames.exists(name)).as("no ring created").isFalse();
    }
}
