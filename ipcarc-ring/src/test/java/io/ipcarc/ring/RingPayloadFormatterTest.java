package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.SharedView;
import io.ipcarc.spi.PayloadFormatter;
import io.ipcarc.testing.ShmNames;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What inspection tools show of a ring, found through the formatter SPI by the ring's type tag. */
class RingPayloadFormatterTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    private static SharedView copy(Ring<?> ring, int bytes) {
        byte[] b = new byte[Math.min(bytes, ring.buffer().capacity())];
        ring.buffer().getBytes(0, b, 0, b.length);
        return SharedView.wrap(b);
    }

    @Test
    void shouldBeFoundByTheRingTagAndDescribeWriterAndRegisteredReaders() throws InterruptedException {
        PayloadFormatter f = PayloadFormatter.forTag(RingDescriptor.TYPE_TAG).orElseThrow();
        assertThat(f).isInstanceOf(RingPayloadFormatter.class);
        assertThat(PayloadFormatter.forTag(RingDescriptor.TYPE_TAG_V1)).isEmpty();
        try (Ring<Long> ring = Ring.create(names.next("format"), Long.class, RingOptions.defaults().withCapacity(16)
                .withReservedReaders(6));
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS);
             RingReader<Long> r = ring.claimReader(1)) {
            for (long i = 0; i < 5; i++) {
                w.publish(i);
            }
            r.poll(e -> { }, 2);
            r.commit();
            String pid = "pid " + ProcessHandle.current().pid();
            assertThat(f.format(copy(ring, 4096))).isEqualTo("ring capacity=16 entry=8B readers=8 write=5 writer=" + pid
                    + " lossless registered=[1: active " + pid + " position=2 lag=3 lost=0, 6: detached position=0 lag=5 lost=0]");
            long self = ProcessHandle.current().pid();
            assertThat(f.toTree(copy(ring, 4096))).as("the same as data, for JSON").isEqualTo(Map.of("structure", "ring",
                    "capacity", 16, "entrySize", 8, "readerSlots", 8, "writePointer", 6L, "write", 5L,
                    "writer", Map.of("present", true, "pid", (int) self, "mode", "lossless"),
                    "readers", List.of(
                            Map.of("id", 1, "state", "active", "pid", (int) self, "position", 2L, "lag", 3L, "lagExact", true,
                                    "lost", 0L),
                            Map.of("id", 6, "state", "detached", "pid", 0, "position", 0L, "lag", 5L, "lagExact", true, "lost", 0L)),
                    "readersShown", 8));
        }
    }

    @Test
    void shouldShowTheModeOfTheLastWriterOnceTheRoleIsGivenUp() throws InterruptedException {
        try (Ring<Long> ring = Ring.create(names.next("last"), Long.class, RingOptions.defaults().withCapacity(16)
                .withReservedReaders(0))) {
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
                w.publish(1L);
            }
            assertThat(new RingPayloadFormatter().format(copy(ring, 4096))).isEqualTo("ring capacity=16 entry=8B readers=8"
                    + " write=1 writer=none (last lossless) registered=[0: detached position=0 lag=1 lost=0]");
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
                w.publish(2L);
            }
            assertThat(new RingPayloadFormatter().format(copy(ring, 4096))).contains(" write=2 writer=none (last lossy) ");
        }
    }

    @Test
    void shouldSayWhatItCannotSeeInAShortCopyAndNeverThrow() {
        try (Ring<Long> ring = Ring.create(names.next("short"), Long.class, RingOptions.defaults().withReaderSlots(64)
                .withCapacity(1024).withReservedReaders(0, 63))) {
            RingPayloadFormatter f = new RingPayloadFormatter();
            String text = f.format(copy(ring, 4096));
            assertThat(text).startsWith("ring capacity=1024 entry=8B readers=64 write=0 writer=none registered=[0: detached")
                    .endsWith("(readers 60 to 63 not shown: only the payload's first 4096 bytes were read)");
            assertThat(f.format(copy(ring, 300))).contains("readers 0 to 63 not shown");
            assertThat(f.format(SharedView.wrap(new byte[10]))).startsWith("ring header not initialised");
            assertThat(f.toTree(SharedView.wrap(new byte[10]))).asString().startsWith("ring header not initialised");
            assertThat(f.toTree(copy(ring, 4096))).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("write", 0L).containsEntry("readersShown", 60);
            byte[] garbage = new byte[4096];
            Arrays.fill(garbage, (byte) 0x5a);
            assertThat(f.format(SharedView.wrap(garbage))).startsWith("ring header not initialised");
        }
    }
}
