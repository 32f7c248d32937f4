package io.ipcarc.map;

/**
 * What a process found and did when it took a stripe (or the entry allocator) that another
 * writer left mid-operation: killed inside it ({@link #ownerDied()}), or failed with an exception
 * after it started changing the stripe. Reported to {@link MapRepairListener}s and logged at
 * WARNING by the process that repaired it.
 *
 * @param map the map's segment name
 * @param stripe the stripe repaired, or -1 for the entry allocator
 * @param ownerDied whether the lock's last holder died holding it
 * @param deadOwnerPid that holder's pid as recorded in the lock (for people; 0 if unknown)
 * @param action what was done, for example {@code rolled forward the removal of entry 12 at slot 40}
 */
public record MapRepair(String map, int stripe, boolean ownerDied, int deadOwnerPid, String action) {
}
