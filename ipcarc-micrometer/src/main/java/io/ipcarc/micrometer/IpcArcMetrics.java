package io.ipcarc.micrometer;

import io.ipcarc.ArcStatistics;
import io.ipcarc.IpcArc;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one segment, read through a handle this process holds ({@link IpcArc#statistics()}),
 * tagged {@code segment=NAME}:
 * <ul>
 *   <li>{@code ipcarc.segment.refcount} (gauge, handles): open handles of all processes;</li>
 *   <li>{@code ipcarc.segment.holders.live} (gauge, processes): processes holding it now;</li>
 *   <li>{@code ipcarc.segment.change.waiters} (gauge, threads): threads of all processes in {@code awaitChange};</li>
 *   <li>{@code ipcarc.segment.lock.waits} (function timer): this process's acquisitions that found
 *       the lock busy, and their total wait;</li>
 *   <li>{@code ipcarc.segment.payload.lock.waits} (function timer): the same for its payload locks;</li>
 *   <li>{@code ipcarc.segment.lock.owner.deaths} (function counter): locks this process recovered
 *       from a holder that died holding them;</li>
 *   <li>{@code ipcarc.segment.holders.reaped} (function counter, processes): dead holders this
 *       process removed from the holder table.</li>
 * </ul>
 * The counters and timers are this process's own counts ({@link ArcStatistics}); the gauges are
 * the segment's state, the same from every process. The handle is held weakly, as Micrometer holds
 * the objects of its function meters: once it is closed or collected the meters report NaN.
 *
 * <pre>{@code
 * IpcArc<Long> orders = IpcArc.openOrCreate("/orders", 0L);
 * new IpcArcMetrics(orders, Tags.of("app", "matcher")).bindTo(registry);
 * }</pre>
 */
public final class IpcArcMetrics implements MeterBinder {
    private final IpcArc<?> arc;
    private final Tags tags;

    /**
     * The meters of a segment, tagged with its name.
     *
     * @param arc a handle of the segment, kept open while the meters are read
     */
    public IpcArcMetrics(IpcArc<?> arc) {
        this(arc, Tags.empty());
    }

    /**
     * The meters of a segment, tagged with its name and {@code tags}.
     *
     * @param arc a handle of the segment, kept open while the meters are read
     * @param tags more tags for every meter
     */
    public IpcArcMetrics(IpcArc<?> arc, Iterable<Tag> tags) {
        this.arc = Objects.requireNonNull(arc, "arc");
        this.tags = Tags.concat(tags, "segment", arc.name());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ipcarc.segment.refcount", arc, stat(ArcStatistics::refCount)).tags(tags).baseUnit("handles")
                .description("Open handles of the segment, all processes").register(registry);
        Gauge.builder("ipcarc.segment.holders.live", arc, stat(ArcStatistics::liveHolders)).tags(tags).baseUnit("processes")
                .description("Processes holding the segment now").register(registry);
        Gauge.builder("ipcarc.segment.change.waiters", arc, stat(ArcStatistics::changeWaiters)).tags(tags)
                .baseUnit(BaseUnits.THREADS).description("Threads of all processes waiting in awaitChange").register(registry);
        FunctionTimer.builder("ipcarc.segment.lock.waits", arc, a -> (long) stat(ArcStatistics::lockWaits).applyAsDouble(a),
                        stat(ArcStatistics::lockWaitNanos), TimeUnit.NANOSECONDS).tags(tags)
                .description("Acquisitions of the segment's lock by this process that found it busy, and their wait")
                .register(registry);
        FunctionTimer.builder("ipcarc.segment.payload.lock.waits", arc,
                        a -> (long) stat(ArcStatistics::payloadLockWaits).applyAsDouble(a), stat(ArcStatistics::payloadLockWaitNanos),
                        TimeUnit.NANOSECONDS).tags(tags)
                .description("Acquisitions of the segment's payload locks by this process that found them busy, and their wait")
                .register(registry);
        FunctionCounter.builder("ipcarc.segment.lock.owner.deaths", arc, stat(ArcStatistics::ownerDeaths)).tags(tags)
                .description("Locks of the segment this process recovered from a holder that died holding them").register(registry);
        FunctionCounter.builder("ipcarc.segment.holders.reaped", arc, stat(ArcStatistics::holdersReaped)).tags(tags)
                .baseUnit("processes").description("Dead holders this process removed from the segment's holder table")
                .register(registry);
    }

    /** @return a meter function of one statistic: NaN once the handle is closed */
    private static ToDoubleFunction<IpcArc<?>> stat(ToDoubleFunction<ArcStatistics> value) {
        return Snapshots.stat(IpcArc::isOpen, IpcArc::statistics, value);
    }
}
