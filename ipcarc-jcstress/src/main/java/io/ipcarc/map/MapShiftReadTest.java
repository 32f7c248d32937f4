package io.ipcarc.map;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Three keys share one home slot; a writer removes and re-inserts the other two in turn, so each
 * removal's backward shift moves the third key's index word one slot back while a reader looks
 * it up without a lock. The third key is present throughout: a miss would mean the reader passed
 * its word's new slot before the move and its old slot after it, which the stripe's version
 * (bumped before every move, re-read after a miss) must catch.
 */
@JCStressTest
@Description("a lookup racing with backward shifts must never miss a key present throughout")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "found, with its value")
@Outcome(id = "0", expect = Expect.FORBIDDEN, desc = "missed a key present throughout")
@Outcome(id = "3", expect = Expect.FORBIDDEN, desc = "found it with a torn value")
@State
public class MapShiftReadTest {
    private static final IpcMap<Long, TestMaps.Six> MAP = TestMaps.unlinked("shift", 16, 1);
    private static final long[] KEYS = TestMaps.sameHome(MAP, 3);

    static {
        for (long k : KEYS) {
            MAP.put(k, TestMaps.Six.of(k));
        }
    }

    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public MapShiftReadTest() {
    }

    /** Removes and puts back the first two keys; each removal shifts the third key's word. */
    @Actor
    public void writer() {
        MAP.remove(KEYS[0]);
        MAP.put(KEYS[0], TestMaps.Six.of(KEYS[0]));
        MAP.remove(KEYS[1]);
        MAP.put(KEYS[1], TestMaps.Six.of(KEYS[1]));
    }

    /**
     * Looks the third key up once.
     *
     * @param r what the lock-free get saw
     */
    @Actor
    public void reader(I_Result r) {
        TestMaps.Six v = MAP.get(KEYS[2]);
        r.r1 = v == null ? 0 : v.consistent() && v.w0() == KEYS[2] * 31 ? 1 : 3;
    }
}
