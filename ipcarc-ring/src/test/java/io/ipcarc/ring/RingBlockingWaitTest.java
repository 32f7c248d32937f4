package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.testing.ShmNames;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The block wait strategy: a reader asleep in the kernel is woken by the next publish. */
class RingBlockingWaitTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldNotSleepWhenTheNextEntryIsAlreadyThere() throws InterruptedException {
        try (Ring<Long> ring = Ring.create(names.next("nosleep"), Long.class, RingOptions.defaults());
             RingReader<Long> r = ring.claimReader(0);
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
            w.publish(1L);
            assertThat(r.sleepOnce()).isEqualTo(SleepOutcome.NOT_NEEDED);
        }
    }

    @Test
    void shouldWakeASleepingReaderOnThePublishAfterTheWriterKnowsItBlocks() throws Exception {
        try (Ring<Long> ring = Ring.create(names.next("wake"), Long.class, RingOptions.defaults());
             RingReader<Long> r = ring.claimReader(0)) {
            r.startBlocking();
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) { // reads the registry: knows reader 0 blocks
                CompletableFuture<SleepOutcome> slept = CompletableFuture.supplyAsync(() -> r.sleepFor(LONG.toNanos()));
                await().atMost(LONG).until(() -> (ring.buffer().getIntVolatile(RingDescriptor.SLEEPERS_OFFSET) & 1) != 0);
                w.publish(1L);
                assertThat(slept.get()).isIn(SleepOutcome.WOKEN, SleepOutcome.NOT_NEEDED);
                assertThat(w.wakeups()).as("one wake-up call for one sleep").isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void shouldWakeReaderSixtyThreeOfSixtyFourThroughTheSecondSleepersWord() throws Exception {
        try (Ring<Long> ring = Ring.create(names.next("wake63"), Long.class, RingOptions.defaults().withReaderSlots(64));
             RingReader<Long> r = ring.claimReader(63)) {
            r.startBlocking();
            try (RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY)) {
                CompletableFuture<SleepOutcome> slept = CompletableFuture.supplyAsync(() -> r.sleepFor(LONG.toNanos()));
                await().atMost(LONG).until(() -> ring.buffer().getIntVolatile(RingDescriptor.SLEEPERS_HIGH_OFFSET) == 1 << 31);
                assertThat(ring.buffer().getIntVolatile(RingDescriptor.SLEEPERS_OFFSET)).as("the low word is untouched").isZero();
                w.publish(1L);
                // NOT_NEEDED only if the reader was still between its bit and its look at the stamp.
                assertThat(slept.get()).isIn(SleepOutcome.WOKEN, SleepOutcome.NOT_NEEDED);
                assertThat(w.wakeups()).as("one wake-up call for one sleep").isLessThanOrEqualTo(1);
                assertThat(ring.buffer().getIntVolatile(RingDescriptor.SLEEPERS_HIGH_OFFSET)).as("bit cleared").isZero();
            }
        }
    }

    @Test
    void shouldDeliverEveryEntryToAReaderWaitingWithBlockAndStopWakingItAfterItCloses() throws Exception {
        try (Ring<Long> ring = Ring.create(names.next("block"), Long.class, RingOptions.defaults().withReservedReaders(0));
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
            long count = 2_000;
            CompletableFuture<Long> consumer = CompletableFuture.supplyAsync(() -> {
                try (RingReader<Long> r = ring.claimReader(0)) {
                    long sum = 0;
                    long[] got = {0};
                    for (int idle = 0; r.position() < count; ) {
                        if (r.poll(e -> got[0] += e.decode(), 100) > 0) {
                            r.commit();
                            idle = 0;
                        } else {
                            r.idle(WaitStrategy.BLOCK, idle++);
                        }
                    }
                    sum = got[0];
                    return sum;
                }
            });
            for (long i = 0; i < count; i++) {
                w.publish(i);
                if (i % 256 == 255) {
                    // stop until the reader has caught up and fallen asleep: the next publish must wake it
                    await().atMost(LONG).until(() -> (ring.buffer().getIntVolatile(RingDescriptor.SLEEPERS_OFFSET) & 1) != 0);
                }
            }
            assertThat(consumer.get()).isEqualTo(count * (count - 1) / 2);
            assertThat(w.wakeups()).as("the writer woke the sleeping reader").isPositive();
            assertThat(ring.buffer().getInt(RingDescriptor.readerSlot(0) + RingDescriptor.READER_BLOCKING))
                    .as("closing clears the blocking flag").isZero();
            long wakeups = w.wakeups();
            w.publish(count);
            assertThat(w.wakeups()).as("nobody to wake").isEqualTo(wakeups);
        }
    }
}
