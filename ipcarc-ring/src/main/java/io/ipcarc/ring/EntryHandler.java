package io.ipcarc.ring;

/**
 * Receives the entries a {@link RingReader} consumes, in sequence order.
 *
 * @param <T> the entry type
 */
@FunctionalInterface
public interface EntryHandler<T> {
    /**
     * Handles one validated entry, read in place.
     *
     * @param entry the entry; valid only until this method returns (a flyweight moved to the next entry)
     */
    void onEntry(RingEntry<T> entry);
}
