package io.ipcarc.map;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A map's lock-free get of a key whose value a writer keeps replacing (copy on write into the
 * stripe's spare, swapped in by one index store, the old entry recycled as the next spare): the
 * reader must always find the key and never hand out a value mixed from two writes. The map is
 * shared by all iterations (its point is the recycling): one segment per test JVM.
 */
@JCStressTest
@Description("a map's lock-free get must never miss a present key or hand out a torn value")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "a value one put wrote")
@Outcome(id = "0", expect = Expect.FORBIDDEN, desc = "the key, present throughout, was not found")
@Outcome(id = "3", expect = Expect.FORBIDDEN, desc = "a torn value was handed out")
@State
public class MapEntryReadTest {
    private static final IpcMap<Long, TestMaps.Six> MAP = TestMaps.unlinked("entry", 16, 1);
    private static long next;

    static {
        MAP.put(7L, TestMaps.Six.of(0));
    }

    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public MapEntryReadTest() {
    }

    /** Replaces the value; the only writer thread. */
    @Actor
    public void writer() {
        MAP.set(7L, TestMaps.Six.of(++next));
    }

    /**
     * Reads the value once.
     *
     * @param r what the lock-free get saw
     */
    @Actor
    public void reader(I_Result r) {
        TestMaps.Six v = MAP.get(7L);
        r.r1 = v == null ? 0 : v.consistent() ? 1 : 3;
    }
}
