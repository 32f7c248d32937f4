package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.testing.ShmNames;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claiming, releasing and detaching the writer role and reader slots, within one process. */
class RingClaimsTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    private Ring<Long> ring(String what, RingOptions options) {
        return Ring.create(names.next(what), Long.class, options);
    }

    @Test
    void shouldRefuseASecondWriterThroughTheSameHandleAnotherHandleAndAnotherThread() throws Exception {
        try (Ring<Long> ring = ring("one-writer", RingOptions.defaults());
             Ring<Long> other = Ring.open(ring.name(), Long.class);
             RingWriter<Long> first = ring.claimWriter(WriterMode.LOSSY)) {
            assertThatThrownBy(() -> ring.claimWriter(WriterMode.LOSSY)).isInstanceOf(RingSlotBusyException.class)
                    .hasMessageContaining("ring writer already claimed").hasMessageContaining("name=" + ring.name())
                    .hasMessageContaining("(this process)");
            assertThatThrownBy(() -> other.claimWriter(WriterMode.LOSSLESS)).isInstanceOf(RingSlotBusyException.class);
            CompletableFuture<RingWriter<Long>> fromThread = CompletableFuture.supplyAsync(() -> other.claimWriter(WriterMode.LOSSY));
            assertThatThrownBy(fromThread::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RingSlotBusyException.class);
            first.publish(1L);
            first.close();
            try (RingWriter<Long> second = other.claimWriter(WriterMode.LOSSY)) {
                assertThat(second.nextSequence()).as("continues after the first writer").isEqualTo(1);
                assertThat(ring.writerAlive()).isTrue();
            }
            assertThat(ring.writerPid()).isZero();
            assertThat(ring.writerAlive()).isFalse();
        }
    }

    @Test
    void shouldTakeOverAWriterRoleLeftWithThisProcessHolderIdByAProcessThatIsGone() throws InterruptedException {
        try (Ring<Long> ring = ring("stale-writer", RingOptions.defaults())) {
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
                w.publish(5L);
            }
            // As if an earlier process that had this process's holder id died holding the role.
            ring.buffer().putLong(RingDescriptor.WRITER_HOLDER_OFFSET, ring.holderId());
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
                assertThat(w.nextSequence()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldRefuseAReaderIdInUseAndResumeADetachedOneAtItsCommittedPosition() throws InterruptedException {
        try (Ring<Long> ring = ring("readers", RingOptions.defaults());
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
            for (long i = 0; i < 10; i++) {
                w.publish(i);
            }
            RingReader<Long> r = ring.claimReader(2);
            assertThat(ring.readerState(2)).isEqualTo(ReaderState.ACTIVE);
            assertThat(ring.readerAlive(2)).isTrue();
            assertThat(ring.readerPid(2)).isEqualTo((int) ProcessHandle.current().pid());
            assertThatThrownBy(() -> ring.claimReader(2)).isInstanceOf(RingSlotBusyException.class)
                    .hasMessageContaining("reader id already in use").hasMessageContaining("reader=2");
            assertThatThrownBy(() -> ring.releaseReader(2)).isInstanceOf(RingSlotBusyException.class);
            assertThat(r.poll(e -> { }, 4)).isEqualTo(4);
            r.commit();
            assertThat(r.poll(e -> { }, 3)).isEqualTo(3);
            r.close(); // detaches at the committed position: the 3 uncommitted entries come again
            assertThat(ring.readerState(2)).isEqualTo(ReaderState.DETACHED);
            assertThat(ring.readerAlive(2)).isFalse();
            assertThat(ring.readerPosition(2)).isEqualTo(4);
            try (RingReader<Long> again = ring.claimReader(2, StartFrom.LATEST)) {
                assertThat(again.position()).as("a registered slot ignores StartFrom").isEqualTo(4);
                long[] first = {-1};
                again.poll(e -> first[0] = first[0] < 0 ? e.decode() : first[0], 100);
                assertThat(first[0]).isEqualTo(4);
                again.release();
            }
            assertThat(ring.readerState(2)).isEqualTo(ReaderState.FREE);
            try (RingReader<Long> fresh = ring.claimReader(2, StartFrom.LATEST)) {
                assertThat(fresh.position()).isEqualTo(10);
            }
            ring.releaseReader(2);
            try (RingReader<Long> fresh = ring.claimReader(2, StartFrom.OLDEST)) {
                assertThat(fresh.position()).isZero();
            }
        }
    }

    @Test
    void shouldReserveReadersAtCreationAndLaterAndRefuseIdsOutsideTheSlots() {
        try (Ring<Long> ring = ring("reserved", RingOptions.defaults().withReaderSlots(64).withReservedReaders(0, 63))) {
            assertThat(ring.readerSlots()).isEqualTo(64);
            assertThat(ring.readerState(0)).isEqualTo(ReaderState.DETACHED);
            assertThat(ring.readerState(63)).isEqualTo(ReaderState.DETACHED);
            assertThat(ring.readerState(1)).isEqualTo(ReaderState.FREE);
            assertThat(ring.slowestReaderPosition()).isZero();
            ring.reserveReaders(1, 63);
            assertThat(ring.readerState(1)).isEqualTo(ReaderState.DETACHED);
            assertThatThrownBy(() -> ring.claimReader(64)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reader id must be from 0 to 63: id=64");
            assertThatThrownBy(() -> ring.reserveReaders(-1)).isInstanceOf(IllegalArgumentException.class);
            try (Ring<Long> same = Ring.openOrCreate(ring.name(), io.ipcarc.ShmType.of(Long.class),
                    RingOptions.defaults().withReservedReaders(5))) {
                assertThat(same.created()).isFalse();
                assertThat(same.readerState(5)).as("openOrCreate reserves in an existing ring").isEqualTo(ReaderState.DETACHED);
            }
        }
    }

    @Test
    void shouldReleaseTheWriterAndDetachTheReadersStillOpenWhenTheRingCloses() throws InterruptedException {
        String name = names.next("close-all");
        try (Ring<Long> keeper = Ring.create(name, Long.class, RingOptions.defaults())) {
            Ring<Long> ring = Ring.open(name, Long.class);
            RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS);
            RingReader<Long> r = ring.claimReader(3);
            w.publish(1L);
            r.poll(e -> { }, 1);
            r.commit();
            ring.close();
            assertThat(keeper.writerPid()).isZero();
            assertThat(keeper.readerState(3)).isEqualTo(ReaderState.DETACHED);
            assertThat(keeper.readerPosition(3)).isEqualTo(1);
            assertThatThrownBy(() -> w.publish(2L)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> r.poll(e -> { }, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ring reader is closed");
            try (RingWriter<Long> again = keeper.claimWriter(WriterMode.LOSSY)) {
                assertThat(again.nextSequence()).isEqualTo(1);
            }
        }
    }
}
