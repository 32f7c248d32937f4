package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.testing.ShmNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a lossy writer costs a slow reader, and how a lossless writer waits instead. */
class RingLossTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    private Ring<Long> ring(String what, int capacity, int... reserved) {
        return Ring.create(names.next(what), Long.class, RingOptions.defaults().withCapacity(capacity).withReservedReaders(reserved));
    }

    /** A reader's handler and loss listener that record everything. */
    private static final class Recorder implements EntryHandler<Long>, LossListener {
        final List<Long> seqs = new ArrayList<>();
        final List<long[]> losses = new ArrayList<>();

        @Override
        public void onEntry(RingEntry<Long> e) {
            assertThat(e.decode()).as("entry %d holds its own value", e.sequence()).isEqualTo(e.sequence() * 3);
            seqs.add(e.sequence());
        }

        @Override
        public void onLoss(long from, long to) {
            losses.add(new long[] {from, to});
        }
    }

    @Test
    void shouldReportExactlyTheOverwrittenRangeAndGoOnWithTheNewestEntries() throws InterruptedException {
        try (Ring<Long> ring = ring("lapped", 16);
             RingReader<Long> r = ring.claimReader(0);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
            for (long i = 0; i < 100; i++) {
                w.publish(i * 3);
            }
            Recorder rec = new Recorder();
            int n = r.poll(rec, rec, 1000);
            // The writer raised its pointer to 100 (blocks of 2 for a ring of 16); entries from
            // pointer - 2 on are the newest, and everything before them is reported lost.
            assertThat(rec.losses).hasSize(1);
            long resumed = rec.losses.get(0)[1];
            assertThat(rec.losses.get(0)[0]).isZero();
            assertThat(resumed).isBetween(100L - 16, 99L);
            assertThat(rec.seqs).first().isEqualTo(resumed);
            assertThat(rec.seqs).last().isEqualTo(99L);
            assertThat(n).isEqualTo(rec.seqs.size()).isEqualTo((int) (100 - resumed));
            assertThat(r.lost()).isEqualTo(resumed);
            assertThat(ring.readerLost(0)).isEqualTo(resumed);
            r.commit();
            assertThat(ring.readerPosition(0)).isEqualTo(100);
            w.publish(300L);
            assertThat(r.poll(rec, rec, 10)).isOne();
            assertThat(rec.losses).hasSize(1);
        }
    }

    @Test
    void shouldMakeALosslessWriterWaitForTheSlowestRegisteredReaderEvenBeforeItRuns() throws Exception {
        try (Ring<Long> ring = ring("lossless", 8, 0, 1);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < 8; i++) {
                assertThat(w.tryPublish(i * 3)).isEqualTo(i);
            }
            assertThat(w.tryPublish(24L)).as("reserved readers 0 and 1 are at 0").isEqualTo(RingWriter.NO_ROOM);
            Recorder rec = new Recorder();
            try (RingReader<Long> r0 = ring.claimReader(0)) {
                assertThat(r0.poll(rec, rec, 100)).isEqualTo(8);
                r0.commit();
                assertThat(w.tryPublish(24L)).as("reader 1 still at 0").isEqualTo(RingWriter.NO_ROOM);
                ring.releaseReader(1);
                assertThat(w.tryPublish(24L)).as("released: no longer waited for").isEqualTo(8);
                CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        long last = -1;
                        for (long i = 9; i < 20; i++) {
                            last = w.publish(i * 3);
                        }
                        return last;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(LONG).until(() -> ring.writePosition() >= 16);
                assertThat(blocked).isNotDone();
                while (!blocked.isDone()) {
                    r0.poll(rec, rec, 100);
                    r0.commit();
                    Thread.onSpinWait();
                }
                assertThat(blocked.get()).isEqualTo(19);
                r0.poll(rec, rec, 100);
            }
            assertThat(rec.losses).isEmpty();
            assertThat(rec.seqs).hasSize(20).first().isEqualTo(0L);
            assertThat(w.waits()).isPositive();
        }
    }

    @Test
    void shouldSleepAWaitingLosslessWriterUntilAReaderCommits() throws Exception {
        try (Ring<Long> ring = ring("writer-block", 4, 0);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS, WaitStrategy.BLOCK)) {
            for (long i = 0; i < 4; i++) {
                w.publish(i * 3);
            }
            assertThat(w.sleepForRoom(1)).as("no room: it sleeps (here 1 ns)").isEqualTo(SleepOutcome.TIMED_OUT);
            CompletableFuture<Long> fifth = CompletableFuture.supplyAsync(() -> {
                try {
                    return w.publish(12L);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(LONG).until(() -> ring.buffer().getIntVolatile(RingDescriptor.WRITER_WAITING_OFFSET) == 1);
            try (RingReader<Long> r = ring.claimReader(0)) {
                r.poll(e -> { }, 1);
                r.commit(); // wakes the writer
                assertThat(fifth.get()).isEqualTo(4);
                r.poll(e -> { }, 10);
                r.commit();
                assertThat(w.sleepForRoom(1)).as("room: no sleep").isEqualTo(SleepOutcome.NOT_NEEDED);
            }
        }
    }

    @Test
    void shouldStopWaitingWithInterruptedExceptionWhenInterrupted() throws Exception {
        try (Ring<Long> ring = ring("interrupted", 2, 0);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS, WaitStrategy.YIELD)) {
            w.publish(0L);
            w.publish(3L);
            CompletableFuture<Thread> started = new CompletableFuture<>();
            CompletableFuture<Long> full = CompletableFuture.supplyAsync(() -> {
                started.complete(Thread.currentThread());
                try {
                    return w.publish(6L);
                } catch (InterruptedException e) {
                    return -2L;
                }
            });
            started.get().interrupt();
            assertThat(full.get()).isEqualTo(-2L);
            assertThat(w.nextSequence()).as("nothing published").isEqualTo(2);
        }
    }

    @Test
    void shouldNoticeAReaderRegisteringWhileTheLosslessWriterRuns() throws InterruptedException {
        try (Ring<Long> ring = ring("late", 256);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < 10; i++) {
                w.publish(i * 3);
            }
            try (RingReader<Long> late = ring.claimReader(0)) {
                assertThat(late.position()).as("the oldest entry still in the ring").isZero();
                long published = 10;
                while (w.tryPublish(published * 3) != RingWriter.NO_ROOM) {
                    published++;
                }
                assertThat(published).as("the writer stops a ring ahead of the late reader").isEqualTo(256);
                Recorder rec = new Recorder();
                while (late.poll(rec, rec, 100) > 0) {
                    late.commit();
                }
                assertThat(rec.losses).isEmpty();
                assertThat(rec.seqs).hasSize(256);
            }
        }
    }

    @Test
    void shouldRefuseToHandOutEntriesReadInPlaceThatALossyWriterOverwroteMeanwhile() throws InterruptedException {
        try (Ring<Long> ring = ring("overrun", 4);
             RingReader<Long> r = ring.claimReader(0)) {
            RingWriter<Long> lossless = ring.claimWriter(WriterMode.LOSSLESS);
            lossless.publish(0L);
            lossless.publish(3L);
            int[] calls = {0};
            assertThatThrownBy(() -> r.poll(e -> {
                if (calls[0]++ == 0) {
                    // the writer changes hands while the handler reads entry 0 in place
                    lossless.close();
                    try (RingWriter<Long> lossy = ring.claimWriter(WriterMode.LOSSY)) {
                        for (long i = 2; i < 12; i++) {
                            lossy.tryPublish(i * 3);
                        }
                    }
                }
            }, 10)).isInstanceOf(RingOverrunException.class).hasMessageContaining("reader=0").hasMessageContaining("seq=0..");
            assertThat(r.position()).as("the overrun entries count as consumed; nothing torn was committed").isPositive();
            assertThat(ring.readerPosition(0)).isZero();
        }
    }

    @Test
    void shouldReadEntriesBeforeTheCommittedPositionFromCopiesAfterASeekBack() throws InterruptedException {
        try (Ring<Long> ring = ring("seek", 64);
             RingReader<Long> r = ring.claimReader(0);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < 20; i++) {
                w.publish(i * 3);
            }
            Recorder rec = new Recorder();
            r.poll(rec, rec, 20);
            r.commit();
            r.seek(5);
            r.commit();
            assertThat(ring.readerPosition(0)).isEqualTo(5);
            assertThat(r.poll(rec, rec, 100)).isEqualTo(15);
            assertThat(rec.seqs).hasSize(35).element(20).isEqualTo(5L);
            assertThatThrownBy(() -> r.seek(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
