package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process truncates a map's segment to half while a JVM's threads read and write it
 * ({@link MapTruncationVictim}): in every round each thread ends with
 * {@code CorruptSegmentException} within a bounded time, the handles close, and at the end the
 * JVM exits 0 with no hs_err file. (Truncating below the stripes' lock slots can still kill a
 * thread inside glibc in the instant before the process notices: docs/map.md, "Damage".)
 */
class MapTruncationTest {
    private static final int ROUNDS = Integer.getInteger("ipcarc.truncationRounds", 5); // more in ./bench/truncation-soak
    private static final int KEYS = 5000;
    private static final Duration STEP = ShmSandbox.START;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @TempDir
    Path crashDir;

    @Test
    void shouldEndEveryReaderAndWriterWithCorruptSegmentExceptionAndKeepTheJvmAlive() throws IOException {
        ChildJvm child = sandbox.add(ChildJvm.start(List.of("-XX:ErrorFile=" + crashDir.resolve("hs_err_%p.log")),
                MapTruncationVictim.class));
        long slowest = 0;
        long lateFaults = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String name = sandbox.name("maptrunc" + round);
            try (IpcMap<Long, Long> m = IpcMap.create(name, Long.class, Long.class, MapOptions.capacity(KEYS).withStripes(8))) {
                for (long k = 0; k < KEYS; k += 2) {
                    m.put(k, k);
                }
                long size = Files.size(ShmNames.file(name));
                child.send("ROUND " + name + " " + KEYS);
                assertThat(child.awaitLine("READY", STEP)).as("round %d: %s", round, child.lines()).isEqualTo("READY");
                child.send("ARM");
                child.awaitLine("ARMED", STEP);
                try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
                    ch.truncate(size / 2);
                }
                child.send("TRUNCATED");
                String done = child.awaitLine("DONE", STEP);
                assertThat(done).as("round %d: %s", round, child.lines()).startsWith("DONE ok");
                slowest = Math.max(slowest, Long.parseLong(done.replaceAll(".*corruptMillis=(\\d+).*", "$1")));
                lateFaults += Long.parseLong(done.replaceAll(".*lateFaults=(\\d+).*", "$1"));
                child.lines().clear();
            } catch (io.ipcarc.CorruptSegmentException e) {
                assertThat(e).hasMessageContaining(name); // this JVM's handle closes on a truncated segment too
            }
        }
        child.send("QUIT");
        assertThat(child.awaitExit(STEP)).as("exit code: %s", child.lines()).isZero();
        try (Stream<Path> crashes = Files.list(crashDir)) {
            assertThat(crashes).as("hs_err files").isEmpty();
        }
        System.out.println("map truncation rounds=" + ROUNDS + ", jdk=" + Runtime.version().feature()
                + ", slowest CorruptSegmentException after " + slowest + " ms, late faults " + lateFaults);
    }
}
