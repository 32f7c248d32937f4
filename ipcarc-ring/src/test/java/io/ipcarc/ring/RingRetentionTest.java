package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.IpcArcs;
import io.ipcarc.SegmentInfo;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lossless ring keeps what its reserved readers have not read after its producer is gone: a
 * producer started alone publishes and ends (at the end of its try-with-resources, by SIGTERM,
 * by SIGKILL), then a consumer started afterwards gets every entry exactly once and its close
 * removes the ring. A lossy ring and a lossless ring read to the end are removed by their last close.
 */
@Timeout(300)
class RingRetentionTest {
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final int CAPACITY = 1024;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private ChildJvm child(String... args) {
        return sandbox.add(ChildJvm.start(RingChild.class, args));
    }

    /** A producer JVM that publishes {@code count} entries and ends its try-with-resources: its PUBLISHED line. */
    private String produceAndExit(String name, long count, String mode) {
        ChildJvm producer = child("produce", name, String.valueOf(count), String.valueOf(CAPACITY), mode);
        String published = producer.awaitLine("PUBLISHED", LONG);
        assertThat(producer.awaitExit(LONG)).isZero();
        return published;
    }

    /** A lossless producer JVM that publishes more than the ring holds, once it has filled the ring and waits for reader 0. */
    private ChildJvm produceUntilFull(String name, long count) {
        ChildJvm producer = child("produce", name, String.valueOf(count), String.valueOf(CAPACITY), "lossless");
        assertThat(producer.awaitLine("FULL", LONG)).isEqualTo("FULL next=" + CAPACITY);
        return producer;
    }

    /** A consumer JVM started now: {@code expected} entries from reader 0's position on, in order, once; its close removes the ring. */
    private void consumeEverythingAndCheckTheRingIsGone(String name, long expected) {
        ChildJvm consumer = child("consume", name);
        assertThat(consumer.awaitLine("CONSUMED", LONG)).as("%s", consumer)
                .isEqualTo("CONSUMED count=" + expected + " bad=0 refCount=1");
        assertThat(consumer.awaitExit(LONG)).isZero();
        assertThat(ShmNames.exists(name)).as("the consumer's close removed the ring: nothing was left unread").isFalse();
    }

    /** Retained, not an orphan, left by removeOrphans; reader 0 detached at {@code position} (the consumer counts the rest). */
    private static void assertRetainedWithUnreadEntries(String name, long position) {
        SegmentInfo s = IpcArcs.inspect(name);
        assertThat(s.isRetained()).as("%s", s).isTrue();
        assertThat(s.isOrphan()).isFalse();
        assertThat(s.payload()).contains("0: detached position=" + position + " lag");
        assertThat(IpcArcs.removeOrphans(ShmNames.prefix())).extracting(SegmentInfo::name).doesNotContain(name);
        assertThat(ShmNames.exists(name)).isTrue();
    }

    @Test
    void shouldKeepEveryEntryForAConsumerStartedAfterTheProducerEndedItsTryWithResources() {
        String name = sandbox.name("ended");
        assertThat(produceAndExit(name, 500, "lossless")).isEqualTo("PUBLISHED next=500 keeps=true");
        assertRetainedWithUnreadEntries(name, 0);
        consumeEverythingAndCheckTheRingIsGone(name, 500);
    }

    @Test
    void shouldKeepEveryEntryForAConsumerStartedAfterTheProducerWasStoppedWithSigtermWhileTheRingWasFull() {
        String name = sandbox.name("term");
        ChildJvm producer = produceUntilFull(name, 1_000_000);
        producer.terminate();
        assertThat(producer.awaitExit(LONG)).as("ended by SIGTERM: the shutdown hook released the ring").isEqualTo(143);
        assertRetainedWithUnreadEntries(name, 0);
        consumeEverythingAndCheckTheRingIsGone(name, CAPACITY);
    }

    @Test
    void shouldKeepEveryEntryForAConsumerStartedAfterTheProducerWasKilledWhileTheRingWasFull() {
        String name = sandbox.name("kill");
        ChildJvm producer = produceUntilFull(name, 1_000_000);
        producer.kill();
        SegmentInfo orphan = IpcArcs.inspect(name);
        assertThat(orphan.isOrphan()).as("SIGKILL: an orphan, kept like any").isTrue();
        assertThat(orphan.deadHolders()).hasSize(1);
        consumeEverythingAndCheckTheRingIsGone(name, CAPACITY);
    }

    @Test
    void shouldRemoveALossyRingAtTheProducersLastClose() {
        String name = sandbox.name("lossy");
        assertThat(produceAndExit(name, 500, "lossy")).isEqualTo("PUBLISHED next=500 keeps=false");
        assertThat(ShmNames.exists(name)).as("a lossy ring promises nothing to its readers").isFalse();
    }

    @Test
    void shouldRemoveALosslessRingWhoseReservedReaderReadEverythingAtTheLastCloseWhicheverProcessMakesIt() {
        String name = sandbox.name("read");
        long count = 3 * CAPACITY + 17;
        ChildJvm producer = produceUntilFull(name, count);
        ChildJvm consumer = child("consume", name, String.valueOf(count));
        assertThat(consumer.awaitLine("CONSUMED", LONG)).startsWith("CONSUMED count=" + count + " bad=0 refCount=");
        assertThat(producer.awaitLine("PUBLISHED", LONG)).startsWith("PUBLISHED next=" + count + " keeps=");
        assertThat(consumer.awaitExit(LONG)).isZero();
        assertThat(producer.awaitExit(LONG)).isZero();
        assertThat(ShmNames.exists(name)).as("nothing unread at the last close").isFalse();
    }

    @Test
    void shouldKeepTheRestForTheNextConsumerWhenAConsumerReadOnlyPartOfIt() {
        String name = sandbox.name("part");
        assertThat(produceAndExit(name, 600, "lossless")).isEqualTo("PUBLISHED next=600 keeps=true");
        try (Ring<Long> ring = Ring.open(name, Long.class)) {
            assertThat(ring.refCount()).as("adopted").isEqualTo(1);
            try (RingReader<Long> r = ring.claimReader(0)) {
                assertThat(r.poll(e -> { }, 200)).isEqualTo(200);
                r.commit();
            }
            assertThat(ring.keepsUnreadEntries()).isTrue();
        }
        assertRetainedWithUnreadEntries(name, 200);
        consumeEverythingAndCheckTheRingIsGone(name, 400);
    }
}
