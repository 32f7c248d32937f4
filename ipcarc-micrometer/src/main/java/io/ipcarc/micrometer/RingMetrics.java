package io.ipcarc.micrometer;

import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.Ring;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one ring, read from its payload through a handle this process holds (the ring's
 * own queries: no lock, no write), tagged {@code ring=NAME}:
 * <ul>
 *   <li>{@code ipcarc.ring.capacity} (gauge, entries);</li>
 *   <li>{@code ipcarc.ring.write.position} (gauge): the next sequence the writer publishes;</li>
 *   <li>{@code ipcarc.ring.written} (function counter, entries): the same, as a count whose rate a
 *       backend computes (Prometheus: {@code rate(ipcarc_ring_written_entries_total[1m])});</li>
 *   <li>{@code ipcarc.ring.write.rate} (gauge, entries per second): that rate computed here,
 *       between two reads at least a second apart;</li>
 * </ul>
 * and for each reader slot, tagged {@code reader=ID} too:
 * <ul>
 *   <li>{@code ipcarc.ring.reader.position} (gauge): the reader's committed position;</li>
 *   <li>{@code ipcarc.ring.reader.lag} (gauge, entries): published entries it has not committed past
 *       (NaN for a free slot);</li>
 *   <li>{@code ipcarc.ring.reader.lost} (function counter, entries): entries it lost to overruns;</li>
 *   <li>{@code ipcarc.ring.reader.state} (gauge, one per state, tagged {@code state=free|active|detached}):
 *       1 for the slot's state, 0 for the others.</li>
 * </ul>
 * The ring is held weakly, as Micrometer holds the objects of its function meters: once it is
 * closed or collected the meters report NaN.
 *
 * <pre>{@code
 * Ring<Tick> ticks = Ring.open("/ticks", Tick.class);
 * new RingMetrics(ticks).bindTo(registry);
 * }</pre>
 */
public final class RingMetrics implements MeterBinder {
    private final Ring<?> ring;
    private final Tags tags;
    private final RateSampler writeRate = new RateSampler();

    /**
     * The meters of a ring, tagged with its name.
     *
     * @param ring a handle of the ring, kept open while the meters are read
     */
    public RingMetrics(Ring<?> ring) {
        this(ring, Tags.empty());
    }

    /**
     * The meters of a ring, tagged with its name and {@code tags}.
     *
     * @param ring a handle of the ring, kept open while the meters are read
     * @param tags more tags for every meter
     */
    public RingMetrics(Ring<?> ring, Iterable<Tag> tags) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.tags = Tags.concat(tags, "ring", ring.name());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ipcarc.ring.capacity", ring, Ring::capacity).tags(tags).baseUnit("entries")
                .description("Entries the ring holds").register(registry);
        Gauge.builder("ipcarc.ring.write.position", ring, open(Ring::writePosition)).tags(tags)
                .description("The next sequence the writer publishes").register(registry);
        FunctionCounter.builder("ipcarc.ring.written", ring, open(Ring::writePosition)).tags(tags).baseUnit("entries")
                .description("Entries published since the ring was created").register(registry);
        RateSampler rate = writeRate;
        Gauge.builder("ipcarc.ring.write.rate", ring, open(r -> rate.perSecond(r.writePosition(), System.nanoTime())))
                .tags(tags).baseUnit("entries.per.second").description("Entries published per second, over the last second or more")
                .register(registry);
        for (int i = 0; i < ring.readerSlots(); i++) {
            bindReader(registry, i);
        }
    }

    private void bindReader(MeterRegistry registry, int id) {
        Tags reader = tags.and("reader", String.valueOf(id));
        Gauge.builder("ipcarc.ring.reader.position", ring, open(r -> r.readerPosition(id))).tags(reader)
                .description("The reader's committed position").register(registry);
        Gauge.builder("ipcarc.ring.reader.lag", ring, open(r -> r.readerState(id) == ReaderState.FREE ? Double.NaN
                        : r.writePosition() - r.readerPosition(id))).tags(reader).baseUnit("entries")
                .description("Published entries the reader has not committed past").register(registry);
        FunctionCounter.builder("ipcarc.ring.reader.lost", ring, open(r -> r.readerLost(id))).tags(reader).baseUnit("entries")
                .description("Entries the reader lost to overruns").register(registry);
        for (ReaderState state : ReaderState.values()) {
            Gauge.builder("ipcarc.ring.reader.state", ring, open(r -> r.readerState(id) == state ? 1 : 0))
                    .tags(reader.and("state", state.name().toLowerCase(Locale.ROOT)))
                    .description("1 for the reader slot's state (free, active, detached), 0 for the others").register(registry);
        }
    }

    /** @return a meter function: NaN once the ring is closed */
    private static ToDoubleFunction<Ring<?>> open(ToDoubleFunction<Ring<?>> value) {
        return r -> {
            try {
                return value.applyAsDouble(r);
            } catch (IllegalStateException e) {
                return Double.NaN; // closed
            }
        };
    }
}
