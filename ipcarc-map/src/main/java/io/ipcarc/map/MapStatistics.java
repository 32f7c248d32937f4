package io.ipcarc.map;

import io.ipcarc.ArcStatistics;
import java.time.Duration;

/**
 * A snapshot of a map for monitoring ({@code ipcarc-micrometer}'s {@code IpcMapMetrics} reads
 * it), returned by {@link IpcMap#statistics()}.
 *
 * <p>{@link #size()}, {@link #capacity()}, {@link #stripes()}, {@link #changes()} and
 * {@link #refCount()} are the map's own, the same from every process. The lock counters are this
 * process's, over all its handles of the map's segment, as {@link ArcStatistics} counts them for
 * the segment's payload locks (the map's stripe locks and its allocator lock): kept on slow paths
 * only, so an uncontended write costs nothing more. {@link #repairs()} is this handle's count. All
 * counters only grow.
 *
 * @param size the keys in the map ({@link IpcMap#size()})
 * @param capacity the most keys it holds
 * @param stripes its stripes, each with its own lock
 * @param changes the change counter ({@link IpcMap#version()}): +1 for every write that changed
 *     the map and every repair, by any process
 * @param refCount the open handles of the map's segment, all processes
 * @param lockWaits how many acquisitions of the map's locks (stripes and allocator) by this
 *     process found them busy and waited
 * @param lockWaitNanos the total time those acquisitions waited, in nanoseconds
 * @param ownerDeaths how many times this process took one of the map's locks from a holder that
 *     died holding it
 * @param repairs the repairs of a stripe (or of the allocator) this handle made
 */
public record MapStatistics(int size, int capacity, int stripes, long changes, long refCount, long lockWaits,
                            long lockWaitNanos, long ownerDeaths, long repairs) {

    /**
     * The snapshot of a map from its segment's statistics.
     *
     * @param map the map
     * @param segment its segment's statistics, taken now
     * @param repairs the repairs its handle made
     * @return the snapshot
     */
    static MapStatistics of(IpcMap<?, ?> map, ArcStatistics segment, long repairs) {
        return new MapStatistics(map.size(), map.capacity(), map.stripes(), map.version(), segment.refCount(),
                segment.payloadLockWaits(), segment.payloadLockWaitNanos(), segment.ownerDeaths(), repairs);
    }

    /**
     * The total lock wait as a duration.
     *
     * @return {@link #lockWaitNanos()} as a {@link Duration}
     */
    public Duration lockWaitTime() {
        return Duration.ofNanos(lockWaitNanos);
    }
}
