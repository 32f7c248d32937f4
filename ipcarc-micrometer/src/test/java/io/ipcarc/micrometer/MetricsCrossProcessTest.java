package io.ipcarc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.examples.Tick;
import io.ipcarc.ring.Ring;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binders registered in a {@link SimpleMeterRegistry} and a Prometheus registry, against
 * segments and a ring that other JVMs hold and drive: a child holding the lock, a child asleep in
 * {@code awaitChange}, a holder SIGKILLed; the example ring writer and two reporters, one of them
 * stopped with SIGSTOP (its lag grows, and once continued it reports what the writer overwrote).
 * The values are read as a backend reads them: from the Prometheus scrape.
 */
@Timeout(300)
class MetricsCrossProcessTest {
    private static final Duration START = ShmSandbox.START;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldScrapeTheRefcountHoldersWaitersLockWaitsDeathsAndReapsOfASegmentOtherJvmsDrive() {
        String name = sandbox.name("mm-seg");
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String seg = "segment=\"" + name + "\"";
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            IpcArcMetrics metrics = new IpcArcMetrics(arc, Tags.of("app", "test"));
            metrics.bindTo(simple);
            metrics.bindTo(prometheus);
            Scrape before = new Scrape(prometheus.scrape());
            assertThat(before.value("ipcarc_segment_refcount_handles", seg, "app=\"test\"")).isEqualTo(1);
            assertThat(before.value("ipcarc_segment_lock_waits_seconds_count", seg)).isZero();

            ChildJvm holder = sandbox.start("hold", name, "2");
            holder.awaitLine("LOCKED", START);
            ChildJvm waiter = sandbox.start("await-in-daemon", name);
            waiter.awaitLine("STARTED", START);
            assertThatThrownBy(() -> arc.acquire(Duration.ofMillis(250))).isInstanceOf(LockTimeoutException.class);
            await().atMost(START).until(() -> new Scrape(prometheus.scrape())
                    .value("ipcarc_segment_change_waiters_threads", seg) == 1);
            Scrape busy = new Scrape(prometheus.scrape());
            assertThat(busy.value("ipcarc_segment_refcount_handles", seg)).isEqualTo(3);
            assertThat(busy.value("ipcarc_segment_holders_live_processes", seg)).isEqualTo(3);
            assertThat(busy.value("ipcarc_segment_lock_waits_seconds_count", seg)).as("the contended acquisition").isEqualTo(1);
            assertThat(busy.value("ipcarc_segment_lock_waits_seconds_sum", seg)).isGreaterThanOrEqualTo(0.25);
            FunctionTimer timer = simple.get("ipcarc.segment.lock.waits").tag("segment", name).functionTimer();
            assertThat(timer.count()).isEqualTo(1);
            assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(250);

            holder.kill();
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).isTrue();
            }
            IpcArc.load(name, Long.class).close(); // a load and close of this process reap the dead holder
            Scrape after = new Scrape(prometheus.scrape()).keep("scrape-segment.txt"); // the scrape docs/operations.md quotes
            assertThat(after.value("ipcarc_segment_lock_owner_deaths_total", seg)).isEqualTo(1);
            assertThat(after.value("ipcarc_segment_holders_reaped_processes_total", seg)).isEqualTo(1);
            assertThat(after.value("ipcarc_segment_refcount_handles", seg)).as("this JVM and the waiter").isEqualTo(2);
            assertThat(after.value("ipcarc_segment_holders_live_processes", seg)).isEqualTo(2);
            assertThat(simple.get("ipcarc.segment.holders.reaped").tag("segment", name).functionCounter().count()).isEqualTo(1);
        }
        assertThat(simple.get("ipcarc.segment.refcount").tag("segment", name).gauge().value()).as("closed").isNaN();
    }

    @Test
    void shouldScrapeTheGrowingLagOfAStoppedReaderAndItsLossesOnceItGoesOn(@TempDir Path csv) {
        String name = sandbox.name("mm-ring");
        ChildJvm writer = sandbox.add(ChildJvm.start(io.ipcarc.examples.Main.class, "writer", "--name", name, "--rate", "4000",
                "--capacity", "1024", "--reader-slots", "2"));
        writer.awaitLine("writer: created", START);
        ChildJvm fast = sandbox.add(ChildJvm.start(io.ipcarc.examples.Main.class, "reporter", "0", "--name", name, "--out",
                csv.toString(), "--from", "latest"));
        ChildJvm slow = sandbox.add(ChildJvm.start(io.ipcarc.examples.Main.class, "reporter", "1", "--name", name, "--out",
                csv.toString(), "--from", "latest"));
        fast.awaitLine("reporter 0: ring=", START);
        slow.awaitLine("reporter 1: ring=", START);
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Ring<Tick> ring = Ring.open(name, Tick.TYPE)) {
            RingMetrics metrics = new RingMetrics(ring);
            metrics.bindTo(simple);
            metrics.bindTo(prometheus);
            String r = "ring=\"" + name + "\"";
            Scrape first = new Scrape(prometheus.scrape());
            assertThat(first.value("ipcarc_ring_capacity_entries", r)).isEqualTo(1024);
            assertThat(first.value("ipcarc_ring_reader_state", r, "reader=\"1\"", "state=\"active\"")).isEqualTo(1);
            assertThat(first.value("ipcarc_ring_reader_state", r, "reader=\"1\"", "state=\"free\"")).isZero();
            await().atMost(START).until(() -> new Scrape(prometheus.scrape()).value("ipcarc_ring_write_rate_entries_per_second", r)
                    > 1000);

            slow.signal("STOP");
            // The stopped reader's lag grows past a whole ring; the running one keeps up.
            await().atMost(START).until(() -> new Scrape(prometheus.scrape()).value("ipcarc_ring_reader_lag_entries", r,
                    "reader=\"1\"") > 2 * 1024);
            Scrape stopped = new Scrape(prometheus.scrape());
            double lag = stopped.value("ipcarc_ring_reader_lag_entries", r, "reader=\"1\"");
            double stoppedAt = stopped.value("ipcarc_ring_reader_position", r, "reader=\"1\"");
            await().atMost(START).until(() -> new Scrape(prometheus.scrape()).value("ipcarc_ring_reader_lag_entries", r,
                    "reader=\"1\"") > lag + 1000);
            Scrape later = new Scrape(prometheus.scrape()).keep("scrape-ring.txt"); // the scrape docs/operations.md quotes
            assertThat(later.value("ipcarc_ring_reader_position", r, "reader=\"1\"")).as("it did not move").isEqualTo(stoppedAt);
            assertThat(later.value("ipcarc_ring_reader_lag_entries", r, "reader=\"0\"")).as("the running reader keeps up")
                    .isLessThan(1024);
            assertThat(later.value("ipcarc_ring_reader_lost_entries_total", r, "reader=\"1\"")).isZero();
            assertThat(later.value("ipcarc_ring_written_entries_total", r))
                    .isEqualTo(later.value("ipcarc_ring_write_position", r), org.assertj.core.data.Offset.offset(4000.0));

            slow.signal("CONT");
            await().atMost(START).until(() -> new Scrape(prometheus.scrape()).value("ipcarc_ring_reader_lost_entries_total", r,
                    "reader=\"1\"") > 0);
            assertThat(simple.get("ipcarc.ring.reader.lost").tag("reader", "1").functionCounter().count()).isPositive();
            await().atMost(START).until(() -> new Scrape(prometheus.scrape()).value("ipcarc_ring_reader_lag_entries", r,
                    "reader=\"1\"") < 1024);
            assertThat(slow.lines()).as("the reporter saw the loss too").anyMatch(l -> l.contains("LOST seq"));
        }
    }
}
