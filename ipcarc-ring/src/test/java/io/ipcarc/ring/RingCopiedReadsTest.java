package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reader's copying path (a lossy writer): runs of slots copied whole, cut at the ring's
 * end and at the first unpublished entry, and validated against a writer that laps the reader
 * while it copies.
 */
class RingCopiedReadsTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    /** Records what a reader is handed, checking each entry's value against its sequence. */
    private static final class Recorder implements EntryHandler<Long>, LossListener {
        final List<Long> seqs = new ArrayList<>();
        long lost;
        long bad;

        @Override
        public void onEntry(RingEntry<Long> e) {
            if (e.decode() != e.sequence() * 3) {
                bad++;
            }
            seqs.add(e.sequence());
        }

        @Override
        public void onLoss(long from, long to) {
            lost += to - from;
        }
    }

    /** Counts what a reader is handed and checks value and order on the fly (no list: millions of entries). */
    private static final class Checker implements EntryHandler<Long>, LossListener {
        long received;
        long lost;
        long bad;
        long outOfOrder;
        long last = -1;

        @Override
        public void onEntry(RingEntry<Long> e) {
            long seq = e.sequence();
            if (e.decode() != seq * 3) {
                bad++;
            }
            if (seq <= last) {
                outOfOrder++;
            }
            last = seq;
            received++;
        }

        @Override
        public void onLoss(long from, long to) {
            if (from <= last) {
                outOfOrder++;
            }
            lost += to - from;
            last = to - 1;
        }
    }

    @Test
    void shouldHandOutRunsThatCrossTheRingsEndAndStopAtTheFirstUnpublishedEntry() throws InterruptedException {
        try (Ring<Long> ring = Ring.create(names.next("runs"), Long.class, RingOptions.defaults().withCapacity(16));
             RingReader<Long> r = ring.claimReader(0);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
            Recorder rec = new Recorder();
            long published = 0;
            // Publish 11 at a time and read in polls of 5: runs start at every offset of the ring,
            // end at its last slot, and meet the writer's last entry in the middle of a run.
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 11; i++) {
                    w.publish(published * 3);
                    published++;
                }
                while (r.poll(rec, rec, 5) > 0) {
                    assertThat(r.position()).isLessThanOrEqualTo(published);
                }
                assertThat(r.position()).as("caught up after round %d", round).isEqualTo(published);
            }
            assertThat(rec.lost).isZero();
            assertThat(rec.bad).isZero();
            assertThat(rec.seqs).hasSize((int) published);
            for (int i = 0; i < rec.seqs.size(); i++) {
                assertThat(rec.seqs.get(i)).isEqualTo(i);
            }
            assertThat(r.poll(rec, rec, 5)).as("nothing published beyond the last entry").isZero();
        }
    }

    @Test
    void shouldNeverHandOutAnEntryTheWriterOverwroteWhileItWasCopied() throws Exception {
        try (Ring<Long> ring = Ring.create(names.next("race"), Long.class, RingOptions.defaults().withCapacity(64));
             RingReader<Long> r = ring.claimReader(0)) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
                    long seq = 0;
                    while (!stop.get()) {
                        if (w.tryPublish(seq * 3) != RingWriter.NO_ROOM) {
                            seq++;
                        }
                    }
                    return seq;
                }
            });
            Checker c = new Checker();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() - deadline < 0) {
                r.poll(c, c, 1 + (int) (c.received % 200)); // polls of every size, so runs end everywhere
            }
            stop.set(true);
            long written = writer.get(30, TimeUnit.SECONDS);
            while (r.poll(c, c, 1000) > 0) {
                assertThat(r.position()).isLessThanOrEqualTo(written);
            }
            assertThat(c.bad).as("entries whose value is not their own sequence's").isZero();
            assertThat(c.outOfOrder).as("entries or losses out of order or repeated").isZero();
            assertThat(c.received).as("entries read").isGreaterThan(64);
            assertThat(c.lost).as("the writer lapped the reader (else the copy path was not raced)").isPositive();
            assertThat(c.received + c.lost).as("every sequence was read or reported lost").isEqualTo(written);
            assertThat(r.position()).isEqualTo(written);
        }
    }
}
