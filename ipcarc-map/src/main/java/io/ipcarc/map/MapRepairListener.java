package io.ipcarc.map;

/**
 * Told each time this process repairs what another writer left mid-operation (see
 * {@link MapOptions#withRepairListener}). It runs on the writing thread, with the stripe's lock
 * held: it should return quickly and must not write to the map.
 */
@FunctionalInterface
public interface MapRepairListener {
    /**
     * A repair was made.
     *
     * @param repair what was found and done
     */
    void repaired(MapRepair repair);
}
