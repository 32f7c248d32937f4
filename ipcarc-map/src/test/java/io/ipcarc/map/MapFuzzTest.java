package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of scribbled words of a map's header, stripes, index and entries, each followed by
 * the map's operations ({@link MapFuzzer}, in its own JVM): every failure is a
 * {@code CorruptSegmentException} (or a full map, or a type mismatch at load), and the JVM
 * survives them all (exit 0, no hs_err file).
 */
class MapFuzzTest {
    private static final int ROUNDS = 10_000;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @TempDir
    Path crashDir;

    @Test
    void shouldThrowOnlyCorruptSegmentExceptionAndNeverDieWhenWordsAreScribbled() throws IOException {
        ChildJvm fuzzer = sandbox.add(ChildJvm.start(List.of("-XX:ErrorFile=" + crashDir.resolve("hs_err_%p.log")),
                MapFuzzer.class, sandbox.name("fuzz"), Integer.toString(ROUNDS), "1234"));
        assertThat(fuzzer.awaitExit(Duration.ofSeconds(300))).as("exit status: %s", fuzzer.lines()).isZero();
        assertThat(fuzzer.lines()).noneMatch(l -> l.startsWith("UNEXPECTED"));
        String done = fuzzer.lines().stream().filter(l -> l.startsWith("DONE")).findFirst().orElseThrow();
        assertThat(done).contains("rounds=" + ROUNDS).contains("corrupt=");
        try (Stream<Path> crashes = Files.list(crashDir)) {
            assertThat(crashes).as("hs_err files").isEmpty();
        }
        System.out.println("map fuzz: " + done);
    }
}
