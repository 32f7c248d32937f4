package io.ipcarc.map;

import io.ipcarc.testing.ShmNames;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lincheck's stress mode runs random concurrent scenarios of the map's operations on real threads
 * against one shared-memory map and checks that every outcome is linearizable: explained by some
 * order of the operations, each taking effect between its call and its return, in which the map
 * behaves as a sequential map. Keys are few (1 to 3), so the operations collide on purpose.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:9")
public class MapLinearizabilityTest {
    private static final ShmNames NAMES = new ShmNames();
    private static IpcMap<Integer, Integer> shared;

    private final IpcMap<Integer, Integer> map = shared;

    /** Each scenario starts with an empty map. */
    public MapLinearizabilityTest() {
        for (int k = 1; k <= 3; k++) {
            map.remove(k);
        }
    }

    @BeforeAll
    static void createMap() {
        // Two stripes and a tiny index: the three keys share clusters and the probes cross stripes.
        shared = IpcMap.create(NAMES.next("lincheck"), Integer.class, Integer.class, MapOptions.capacity(6).withStripes(2));
    }

    @AfterAll
    static void closeMap() {
        shared.close();
        NAMES.close();
    }

    /**
     * @param key a key
     * @return its value
     */
    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(key);
    }

    /**
     * @param key a key
     * @return whether it is there
     */
    @Operation
    public boolean containsKey(@Param(name = "key") int key) {
        return map.containsKey(key);
    }

    /**
     * @param key a key
     * @param value a value
     * @return the previous value
     */
    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.put(key, value);
    }

    /**
     * @param key a key
     * @param value a value
     * @return the value it has
     */
    @Operation
    public Integer putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.putIfAbsent(key, value);
    }

    /**
     * @param key a key
     * @return the removed value
     */
    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(key);
    }

    /**
     * @param key a key
     * @return the new value: one more, or removed after 3
     */
    @Operation
    public Integer increment(@Param(name = "key") int key) {
        return map.compute(key, (k, v) -> v == null ? 1 : v >= 3 ? null : v + 1);
    }

    @Test
    void shouldBeLinearizable() {
        new StressOptions().iterations(60).invocationsPerIteration(2_000).threads(3).actorsPerThread(3).check(getClass());
    }
}
