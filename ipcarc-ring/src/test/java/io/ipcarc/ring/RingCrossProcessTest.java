package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Roles held by other JVMs: refused while they live, taken over once they are killed. */
class RingCrossProcessTest {
    private static final Duration LONG = Duration.ofSeconds(120);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private ChildJvm child(String... args) {
        return sandbox.add(ChildJvm.start(RingChild.class, args));
    }

    @Test
    void shouldRefuseTheWriterRoleOfALiveProcessAndTakeItOverWhenThatProcessIsKilled() throws InterruptedException {
        try (Ring<Long> ring = Ring.create(sandbox.name("writer"), Long.class, RingOptions.defaults().withReservedReaders(0))) {
            ChildJvm writer = child("writer", ring.name(), "5");
            assertThat(writer.awaitLine("WRITER", LONG)).isEqualTo("WRITER next=5");
            assertThat(ring.writerPid()).isEqualTo((int) writer.pid());
            assertThat(ring.writerAlive()).isTrue();
            assertThatThrownBy(() -> ring.claimWriter(WriterMode.LOSSLESS)).isInstanceOf(RingSlotBusyException.class)
                    .hasMessageContaining("ring writer already claimed").hasMessageContaining("pid=" + writer.pid())
                    .hasMessageNotContaining("this process");
            writer.kill();
            await().atMost(LONG).until(() -> !ring.writerAlive());
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
                assertThat(w.nextSequence()).as("continues after the killed writer's last entry").isEqualTo(5);
            }
        }
    }

    @Test
    void shouldRefuseAReaderSlotOfALiveProcessAndResumeItAtTheCommittedPositionWhenThatProcessIsKilled()
            throws InterruptedException {
        try (Ring<Long> ring = Ring.create(sandbox.name("reader"), Long.class, RingOptions.defaults());
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
            for (long i = 0; i < 20; i++) {
                w.publish(i);
            }
            ChildJvm reader = child("reader", ring.name(), "4", "7");
            assertThat(reader.awaitLine("READER", LONG)).isEqualTo("READER position=7");
            assertThat(ring.readerAlive(4)).isTrue();
            assertThatThrownBy(() -> ring.claimReader(4)).isInstanceOf(RingSlotBusyException.class)
                    .hasMessageContaining("reader=4").hasMessageContaining("pid=" + reader.pid());
            assertThatThrownBy(() -> ring.releaseReader(4)).isInstanceOf(RingSlotBusyException.class);
            reader.kill();
            await().atMost(LONG).until(() -> !ring.readerAlive(4));
            assertThat(ring.readerState(4)).as("a killed reader stays registered").isEqualTo(ReaderState.ACTIVE);
            try (RingReader<Long> r = ring.claimReader(4, StartFrom.LATEST)) {
                assertThat(r.position()).isEqualTo(7);
            }
        }
    }
}
