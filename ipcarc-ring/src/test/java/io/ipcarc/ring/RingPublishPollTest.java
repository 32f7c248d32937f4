package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.ShmType;
import io.ipcarc.testing.Records.Fleet;
import io.ipcarc.testing.ShmNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Typed entries in and out of one ring, in one process: values, views, bounds. */
class RingPublishPollTest {
    /** A 56-byte entry: with its stamp, one 64-byte slot. */
    public record Tick(long seq, long timestamp, long symbol, long price, long quantity, long checksum, long reserved) {
    }

    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldDeliverPublishedRecordsInOrderAndDecodeThem() throws InterruptedException {
        try (Ring<Tick> ring = Ring.create(names.next("typed"), Tick.class, RingOptions.defaults().withCapacity(16));
             RingWriter<Tick> w = ring.claimWriter(WriterMode.LOSSLESS);
             RingReader<Tick> r = ring.claimReader(0)) {
            assertThat(ring.slotSize()).isEqualTo(64);
            for (long i = 0; i < 10; i++) {
                assertThat(w.publish(new Tick(i, 2 * i, 3 * i, 4 * i, 5 * i, 6 * i, 0))).isEqualTo(i);
            }
            List<Tick> got = new ArrayList<>();
            assertThat(r.poll(e -> got.add(e.decode()), 100)).isEqualTo(10);
            assertThat(got).hasSize(10).element(7).isEqualTo(new Tick(7, 14, 21, 28, 35, 42, 0));
            assertThat(r.position()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(WriterMode.class)
    void shouldCarryStringsEnumsAndArraysOfRecordsAndReadStringsInPlace(WriterMode mode) throws InterruptedException {
        try (Ring<Fleet> ring = Ring.create(names.next("fleet"), Fleet.class, RingOptions.defaults().withCapacity(16));
             RingWriter<Fleet> w = ring.claimWriter(mode);
             RingReader<Fleet> r = ring.claimReader(0)) {
            for (long i = 0; i < 12; i++) {
                w.publish(Fleet.of(i));
            }
            List<Fleet> got = new ArrayList<>();
            byte[] name = new byte[12];
            List<String> names = new ArrayList<>();
            assertThat(r.poll(e -> {
                got.add(e.decode());
                int n = e.copyString("name", name, 0);
                names.add(new String(name, 0, n, StandardCharsets.UTF_8));
                assertThat(e.stringEquals("name", "fleet-é" + e.sequence())).isTrue();
                assertThat(e.stringEquals("name", "fleet-é")).isFalse();
            }, 100)).isEqualTo(12);
            for (int i = 0; i < 12; i++) {
                assertThat(got.get(i)).isEqualTo(Fleet.of(i));
                assertThat(names.get(i)).isEqualTo("fleet-é" + i);
            }
            assertThatThrownBy(() -> ring.entryType().stringField("sides")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRefuseWritingPastTheEntryAndLeaveTheNextEntryIntact() throws InterruptedException {
        try (Ring<byte[]> ring = Ring.create(names.next("bounds"), ShmType.bytes(48), RingOptions.defaults().withCapacity(4));
             RingWriter<byte[]> w = ring.claimWriter(WriterMode.LOSSY);
             RingReader<byte[]> r = ring.claimReader(0)) {
            w.publish((e, seq) -> e.putLong(40, 7));
            assertThatThrownBy(() -> w.publish((e, seq) -> e.putLong(48, 8))).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> w.publish((e, seq) -> e.putLong(44, 8))).isInstanceOf(IndexOutOfBoundsException.class);
            w.publish((e, seq) -> e.putLong(0, 9));
            long[] seen = new long[4];
            assertThat(r.poll(e -> seen[(int) e.sequence()] = e.getLong(e.sequence() == 0 ? 40 : 0), 10)).isEqualTo(2);
            assertThat(seen[0]).isEqualTo(7);
            assertThat(seen[1]).isEqualTo(9);
        }
    }
}
