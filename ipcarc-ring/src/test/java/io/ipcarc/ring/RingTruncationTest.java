package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Another process truncates a ring's segment while a reader of another JVM sleeps in its wait
 * ({@link RingTruncationVictim}): in every round the reader ends with
 * {@code CorruptSegmentException} within a bounded time, nothing escapes, its ring and this
 * JVM's ring close, and at the end the reader's JVM exits 0 with no hs_err file. Rounds:
 * {@code -Dipcarc.truncationRounds} (20 by default).
 */
@Timeout(900)
class RingTruncationTest {
    private static final int ROUNDS = Integer.getInteger("ipcarc.truncationRounds", 20);
    private static final Duration STEP = ShmSandbox.START;
    /** Where the segment header keeps the payload offset (docs/design.md). */
    private static final int PAYLOAD_OFFSET_FIELD = 32;
    private static final long PUBLISHED = 10;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @TempDir
    Path crashDir;

    @ParameterizedTest(name = "truncated to half: {0}")
    @ValueSource(booleans = {false, true})
    void aSleepingReaderSeesTheTruncationAndItsJvmSurvives(boolean toHalf) throws IOException, InterruptedException {
        ChildJvm child = sandbox.add(ChildJvm.start(List.of("-XX:ErrorFile=" + crashDir.resolve("hs_err_%p.log")),
                RingTruncationVictim.class));
        long slowest = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String name = sandbox.name("ringtrunc" + round);
            Ring<Long> ring = Ring.create(name, Long.class, RingOptions.defaults().withCapacity(256).withReservedReaders(0));
            try {
                RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY);
                for (long i = 0; i < PUBLISHED; i++) {
                    w.publish(i);
                }
                long size = Files.size(ShmNames.file(name));
                child.send("ROUND " + name + " " + PUBLISHED);
                assertThat(child.awaitLine("READY", STEP)).as("round %d: %s", round, child.lines()).isEqualTo("READY");
                // Reader 0 is asleep in the kernel: its bit in the ring's sleepers word is set.
                await().atMost(STEP).until(() -> (ringWord(name, RingDescriptor.SLEEPERS_OFFSET) & 1) != 0);
                child.send("ARM");
                child.awaitLine("ARMED", STEP);
                try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
                    ch.truncate(toHalf ? size / 2 : 0);
                }
                child.send("TRUNCATED");
                String done = child.awaitLine("DONE", STEP);
                assertThat(done).as("round %d: %s", round, child.lines()).startsWith("DONE ok");
                slowest = Math.max(slowest, Long.parseLong(done.replaceAll(".*corruptMillis=(\\d+).*", "$1")));
                child.lines().clear();
            } finally {
                try {
                    ring.close(); // the writer's claim cannot be written back; the handle closes anyway
                } catch (CorruptSegmentException e) {
                    assertThat(e).hasMessageContaining(name);
                }
            }
            assertThat(ring.toString()).contains(name);
        }
        child.send("QUIT");
        assertThat(child.awaitExit(STEP)).as("exit code: %s", child.lines()).isZero();
        try (Stream<Path> crashes = Files.list(crashDir)) {
            assertThat(crashes).as("hs_err files").isEmpty();
        }
        System.out.println("ring truncation rounds=" + ROUNDS + ", toHalf=" + toHalf + ", jdk=" + Runtime.version().feature()
                + ", slowest CorruptSegmentException after " + slowest + " ms");
    }

    /** @return a 32-bit word of the ring's payload, read with pread */
    private static int ringWord(String name, int offset) throws IOException {
        try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            ch.read(b, PAYLOAD_OFFSET_FIELD);
            int payload = b.flip().getInt();
            b.clear();
            ch.read(b, payload + offset);
            return b.flip().getInt();
        }
    }
}
