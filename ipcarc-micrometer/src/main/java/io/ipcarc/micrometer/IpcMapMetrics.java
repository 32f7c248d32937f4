package io.ipcarc.micrometer;

import io.ipcarc.map.IpcMap;
import io.ipcarc.map.MapStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one map, read through a handle this process holds ({@link IpcMap#statistics()}),
 * tagged {@code map=NAME}:
 * <ul>
 *   <li>{@code ipcarc.map.size} (gauge, keys): the keys in the map now;</li>
 *   <li>{@code ipcarc.map.capacity} (gauge, keys): the most keys it holds;</li>
 *   <li>{@code ipcarc.map.refcount} (gauge, handles): open handles of all processes;</li>
 *   <li>{@code ipcarc.map.changes} (function counter): writes that changed the map and repairs,
 *       by all processes (Prometheus: {@code rate(ipcarc_map_changes_total[1m])} is the map's write rate);</li>
 *   <li>{@code ipcarc.map.lock.waits} (function timer): this process's acquisitions of the map's
 *       stripe locks (and allocator lock) that found them busy, and their total wait;</li>
 *   <li>{@code ipcarc.map.lock.owner.deaths} (function counter): locks of the map this process
 *       took over from a holder that died holding them;</li>
 *   <li>{@code ipcarc.map.repairs} (function counter): stripes (or the allocator) this handle found
 *       left mid-operation and repaired.</li>
 * </ul>
 * The counters and the timer are this process's own counts ({@link MapStatistics}); the gauges
 * and {@code ipcarc.map.changes} are the map's state, the same from every process. The handle is
 * held weakly, as Micrometer holds the objects of its function meters: once it is closed or
 * collected the meters report NaN.
 *
 * <pre>{@code
 * IpcMap<String, Position> positions = IpcMap.load("/positions", String.class, Position.class);
 * new IpcMapMetrics(positions, Tags.of("app", "matcher")).bindTo(registry);
 * }</pre>
 */
public final class IpcMapMetrics implements MeterBinder {
    private final IpcMap<?, ?> map;
    private final Tags tags;

    /**
     * The meters of a map, tagged with its name.
     *
     * @param map a handle of the map, kept open while the meters are read
     */
    public IpcMapMetrics(IpcMap<?, ?> map) {
        this(map, Tags.empty());
    }

    /**
     * The meters of a map, tagged with its name and {@code tags}.
     *
     * @param map a handle of the map, kept open while the meters are read
     * @param tags more tags for every meter
     */
    public IpcMapMetrics(IpcMap<?, ?> map, Iterable<Tag> tags) {
        this.map = Objects.requireNonNull(map, "map");
        this.tags = Tags.concat(tags, "map", map.name());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ipcarc.map.size", map, stat(MapStatistics::size)).tags(tags).baseUnit("keys")
                .description("Keys in the map").register(registry);
        Gauge.builder("ipcarc.map.capacity", map, stat(MapStatistics::capacity)).tags(tags).baseUnit("keys")
                .description("The most keys the map holds").register(registry);
        Gauge.builder("ipcarc.map.refcount", map, stat(MapStatistics::refCount)).tags(tags).baseUnit("handles")
                .description("Open handles of the map, all processes").register(registry);
        FunctionCounter.builder("ipcarc.map.changes", map, stat(MapStatistics::changes)).tags(tags)
                .description("Writes that changed the map, and repairs, by all processes").register(registry);
        FunctionTimer.builder("ipcarc.map.lock.waits", map, m -> (long) stat(MapStatistics::lockWaits).applyAsDouble(m),
                        stat(MapStatistics::lockWaitNanos), TimeUnit.NANOSECONDS).tags(tags)
                .description("Acquisitions of the map's stripe and allocator locks by this process that found them busy,"
                        + " and their wait").register(registry);
        FunctionCounter.builder("ipcarc.map.lock.owner.deaths", map, stat(MapStatistics::ownerDeaths)).tags(tags)
                .description("Locks of the map this process took over from a holder that died holding them")
                .register(registry);
        FunctionCounter.builder("ipcarc.map.repairs", map, stat(MapStatistics::repairs)).tags(tags)
                .description("Stripes (or the allocator) this handle found left mid-operation and repaired").register(registry);
    }

    /** @return a meter function of one statistic: NaN once the handle is closed */
    private static ToDoubleFunction<IpcMap<?, ?>> stat(ToDoubleFunction<MapStatistics> value) {
        return Snapshots.stat(IpcMap::isOpen, IpcMap::statistics, value);
    }
}
