package io.ipcarc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.map.IpcMap;
import io.ipcarc.map.MapOptions;
import io.ipcarc.testing.ShmSandbox;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link IpcMapMetrics} registered in a {@link SimpleMeterRegistry} and a Prometheus registry,
 * against a map that other JVMs drive ({@link MapMetricsChild}): a writer whose puts and removes
 * the scraped size follows, and a holder of a stripe lock that this JVM waits for and that is
 * then SIGKILLed, so that this JVM's wait, its take-over of the dead holder's lock and its repair
 * show. The values are read as a backend reads them: from the Prometheus scrape.
 */
@Timeout(300)
class MapMetricsTest {
    private static final Duration START = ShmSandbox.START;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldScrapeTheSizeAChildWritesTheCapacityAndTheWaitDeathAndRepairOfAKilledStripeHolder() throws Exception {
        String name = sandbox.name("mm-map");
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String m = "map=\"" + name + "\"";
        ExecutorService putter = Executors.newSingleThreadExecutor();
        try (IpcMap<Long, Long> map = IpcMap.create(name, Long.class, Long.class, MapOptions.capacity(1000).withStripes(4))) {
            IpcMapMetrics metrics = new IpcMapMetrics(map, Tags.of("app", "test"));
            metrics.bindTo(simple);
            metrics.bindTo(prometheus);
            Scrape empty = new Scrape(prometheus.scrape());
            assertThat(empty.value("ipcarc_map_capacity_keys", m, "app=\"test\"")).isEqualTo(1000);
            assertThat(empty.value("ipcarc_map_size_keys", m)).isZero();
            assertThat(empty.value("ipcarc_map_refcount_handles", m)).isEqualTo(1);
            assertThat(empty.value("ipcarc_map_changes_total", m)).isZero();
            assertThat(empty.value("ipcarc_map_lock_waits_seconds_count", m)).isZero();

            ChildJvm writer = sandbox.add(ChildJvm.start(MapMetricsChild.class, "writer", name));
            writer.awaitLine("READY", START);
            writer.send("put 0 100");
            writer.awaitLine("PUT 100", START);
            Scrape hundred = new Scrape(prometheus.scrape());
            assertThat(hundred.value("ipcarc_map_size_keys", m)).isEqualTo(100);
            assertThat(hundred.value("ipcarc_map_refcount_handles", m)).as("this JVM and the writer").isEqualTo(2);
            assertThat(hundred.value("ipcarc_map_changes_total", m)).as("one change per new key").isEqualTo(100);
            writer.send("put 100 250");
            writer.awaitLine("PUT 250", START);
            assertThat(new Scrape(prometheus.scrape()).value("ipcarc_map_size_keys", m)).isEqualTo(250);
            writer.send("remove 0 50");
            writer.awaitLine("REMOVED 50", START);
            Scrape removed = new Scrape(prometheus.scrape());
            assertThat(removed.value("ipcarc_map_size_keys", m)).isEqualTo(200);
            assertThat(removed.value("ipcarc_map_changes_total", m)).isEqualTo(300);
            assertThat(removed.value("ipcarc_map_capacity_keys", m)).isEqualTo(1000);
            assertThat(simple.get("ipcarc.map.size").tag("map", name).gauge().value()).isEqualTo(200);

            ChildJvm holder = sandbox.add(ChildJvm.start(MapMetricsChild.class, "hold", name, "7"));
            holder.awaitLine("HOLDING", START);
            AtomicReference<Thread> putting = new AtomicReference<>();
            Future<Long> put = putter.submit(() -> {
                putting.set(Thread.currentThread());
                return map.put(7L, 7L);
            });
            // The put is asleep in the contended wait for the stripe lock the holder keeps.
            await().atMost(START).until(() -> putting.get() != null && Arrays.stream(putting.get().getStackTrace())
                    .anyMatch(f -> f.getClassName().equals("io.ipcarc.posix.ObservedWait")));
            assertThat(put).isNotDone();
            holder.kill();
            assertThat(put.get(START.toSeconds(), TimeUnit.SECONDS)).as("key 7 was removed").isNull();

            Scrape after = new Scrape(prometheus.scrape()).keep("scrape-map.txt"); // the scrape docs/operations.md quotes
            assertThat(after.value("ipcarc_map_lock_waits_seconds_count", m)).as("the put's wait").isEqualTo(1);
            assertThat(after.value("ipcarc_map_lock_waits_seconds_sum", m)).isPositive();
            assertThat(after.value("ipcarc_map_lock_owner_deaths_total", m)).isEqualTo(1);
            assertThat(after.value("ipcarc_map_repairs_total", m)).as("the dead holder's stripe").isEqualTo(1);
            assertThat(after.value("ipcarc_map_size_keys", m)).isEqualTo(201);
            assertThat(after.value("ipcarc_map_changes_total", m)).as("the repair and the put").isEqualTo(302);
            FunctionTimer timer = simple.get("ipcarc.map.lock.waits").tag("map", name).functionTimer();
            assertThat(timer.count()).isEqualTo(1);
            assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        } finally {
            putter.shutdownNow();
        }
        assertThat(simple.get("ipcarc.map.size").tag("map", name).gauge().value()).as("closed").isNaN();
        assertThat(simple.get("ipcarc.map.repairs").tag("map", name).functionCounter().count()).as("closed").isNaN();
    }
}
