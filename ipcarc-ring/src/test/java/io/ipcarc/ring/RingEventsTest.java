package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ring.events.ReaderLappedEvent;
import io.ipcarc.ring.events.RingWriterBlockedEvent;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.JfrEvents;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ring's JFR events, each caused by another JVM as in production: a lossy writer in a child
 * JVM laps a reader of this one ({@code io.ipcarc.ReaderLapped}, with the range it lost), and a
 * lossless writer of this JVM waits for a reader that a child JVM claims only later
 * ({@code io.ipcarc.RingWriterBlocked}, naming that reader and its pid). Publishes with room and
 * polls without a lap record nothing.
 */
@Timeout(240)
class RingEventsTest {
    private static final Duration START = ShmSandbox.START;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String LAPPED = "io.ipcarc.ReaderLapped";
    private static final String BLOCKED = "io.ipcarc.RingWriterBlocked";

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private ChildJvm child(String... args) {
        return sandbox.add(ChildJvm.start(RingChild.class, args));
    }

    @Test
    void shouldRecordEachLapOfALossyReaderByAWriterInAnotherJvmWithTheRangeItLost() {
        try (JfrEvents jfr = JfrEvents.record(LAPPED);
             Ring<Long> ring = Ring.create(sandbox.name("lapped"), Long.class, RingOptions.defaults().withCapacity(16));
             RingReader<Long> reader = ring.claimReader(3)) {
            ChildJvm writer = child("writer", ring.name(), "100");
            assertThat(writer.awaitLine("WRITER", START)).isEqualTo("WRITER next=100");
            List<long[]> losses = new ArrayList<>();
            List<Long> read = new ArrayList<>();
            reader.poll(e -> read.add(e.sequence()), (from, to) -> losses.add(new long[] {from, to}), 1000);
            assertThat(losses).hasSize(1);
            long resumed = losses.get(0)[1];
            assertThat(resumed).as("a lap of a ring of 16 after 100 entries").isBetween(100L - 16, 99L);
            assertThat(read).first().isEqualTo(resumed);

            RecordedEvent e = jfr.await(LAPPED, ev -> ring.name().equals(ev.getString("ring")), DELIVERY);
            assertThat(e.getInt("reader")).isEqualTo(3);
            assertThat(e.getLong("from")).isZero();
            assertThat(e.getLong("to")).isEqualTo(resumed);
            assertThat(e.getLong("lost")).isEqualTo(resumed);
            assertThat(e.getLong("lostTotal")).isEqualTo(reader.lost()).isEqualTo(resumed);

            assertThat(jfr.named(LAPPED).stream().filter(ev -> ring.name().equals(ev.getString("ring"))))
                    .as("one lap, one event; the entries read after it record nothing").hasSize(1);
        }
    }

    @Test
    void shouldRecordHowLongALosslessWriterWaitedAndForWhichReaderAndProcess() throws Exception {
        try (JfrEvents jfr = JfrEvents.record(BLOCKED);
             Ring<Long> ring = Ring.create(sandbox.name("blocked"), Long.class,
                     RingOptions.defaults().withCapacity(8).withReservedReaders(0));
             RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < 8; i++) {
                assertThat(w.tryPublish(i)).isEqualTo(i);
            }
            // The ninth entry waits for reader 0, reserved and not yet claimed by anyone, the way
            // the example writer waits: tryPublish, and the writer's idle between tries.
            AtomicBoolean full = new AtomicBoolean();
            CompletableFuture<Void> ninth = CompletableFuture.runAsync(() -> {
                for (int rounds = 0; w.tryPublish(8L) == RingWriter.NO_ROOM; rounds++) {
                    full.set(true);
                    w.idle(WaitStrategy.BLOCK, rounds);
                }
            });
            await().atMost(START).untilTrue(full);
            long blockedSeen = System.nanoTime();
            ChildJvm reader = child("consume", ring.name(), "9");
            long childStarted = System.nanoTime();
            assertThat(reader.awaitLine("CONSUMED", START)).startsWith("CONSUMED count=9 bad=0");
            ninth.get(START.toSeconds(), TimeUnit.SECONDS);

            RecordedEvent e = jfr.await(BLOCKED, ev -> ring.name().equals(ev.getString("ring")), DELIVERY);
            assertThat(e.getLong("sequence")).isEqualTo(8);
            assertThat(e.getInt("reader")).isZero();
            assertThat(e.getLong("readerPosition")).isZero();
            assertThat(e.getInt("readerPid")).as("the process that claimed the reader and made room").isEqualTo((int) reader.pid());
            assertThat(e.getDuration()).as("it waited from before it was seen waiting until after the reader's JVM was started")
                    .isGreaterThanOrEqualTo(Duration.ofNanos(childStarted - blockedSeen));
            assertThat(jfr.named(BLOCKED).stream().filter(ev -> ring.name().equals(ev.getString("ring"))))
                    .as("the eight publishes with room recorded nothing").hasSize(1);
        }
    }

    @Test
    void shouldLeaveTheLapEventOffAndRecordOnlyWaitsOfTenMillisecondsOrMoreByDefault() {
        assertThat(JfrEvents.defaultSetting(ReaderLappedEvent.class, "enabled")).isEqualTo("false");
        assertThat(JfrEvents.defaultSetting(RingWriterBlockedEvent.class, "enabled")).isEqualTo("true");
        assertThat(JfrEvents.defaultSetting(RingWriterBlockedEvent.class, "threshold")).isEqualTo("10 ms");
        assertThat(EventType.getEventType(ReaderLappedEvent.class).getName()).isEqualTo(LAPPED);
        assertThat(EventType.getEventType(RingWriterBlockedEvent.class).getName()).isEqualTo(BLOCKED);
    }
}
