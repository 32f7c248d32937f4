package io.ipcarc.spi;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInfo;
import io.ipcarc.ShmType;
import java.util.List;

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

    /**
     * Lists the segments of the host, read-only.
     *
     * @param includeForeign whether to report files that are not IpcArc segments too
     * @return one entry per file, sorted by name
     */
    default List<SegmentInfo> list(boolean includeForeign) {
        throw new UnsupportedOperationException("listing is not supported by " + getClass().getName());
    }

    /**
     * Inspects one name, read-only.
     *
     * @param name normalised name
     * @return what is there
     */
    default SegmentInfo inspect(String name) {
        throw new UnsupportedOperationException("inspection is not supported by " + getClass().getName());
    }

    /**
     * Unlinks an inspected segment if its name still refers to the same object.
     *
     * @param segment an IpcArc segment returned by {@link #inspect(String)} or {@link #list(boolean)}
     * @param force whether to remove it even while live processes hold it
     * @return what happened
     */
    default Removal remove(SegmentInfo segment, boolean force) {
        throw new UnsupportedOperationException("removal is not supported by " + getClass().getName());
    }
}
