package io.ipcarc.spi;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;

/**
 * Service interface of an IpcArc implementation, found with {@link java.util.ServiceLoader}.
 * Applications use {@link IpcArc}'s static methods instead. Names given to a provider are
 * already normalised by {@link io.ipcarc.SegmentNames#normalize(String)}.
 */
public interface IpcArcProvider {

    /**
     * Creates a segment.
     *
     * @param name normalised name
     * @param type payload type
     * @param value initial value or {@code null} for zeros
     * @param options mode and timeouts
     * @param <T> payload type
     * @return the first handle
     */
    <T> IpcArc<T> create(String name, ShmType<T> type, T value, ArcOptions options);

    /**
     * Loads a segment.
     *
     * @param name normalised name
     * @param type expected payload type, or {@code null} to take it from the segment's descriptor
     * @param options timeouts
     * @param <T> payload type
     * @return a new handle
     */
    <T> IpcArc<T> load(String name, ShmType<T> type, ArcOptions options);

    /**
     * Loads the segment or, if there is none, creates it; exactly one concurrent caller creates.
     *
     * @param name normalised name
     * @param type payload type
     * @param value initial value if created
     * @param options mode and timeouts
     * @param <T> payload type
     * @return a handle
     */
    <T> IpcArc<T> openOrCreate(String name, ShmType<T> type, T value, ArcOptions options);
}
