package io.ipcarc.jcstress;

import io.ipcarc.Guard;
import io.ipcarc.jcstress.SharedTriple.Triple;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A writer replaces the record with Guard.set while a reader calls the lock-free read(), on a
 * raw payload (r1, the seqlock) and on a crash-atomic one (r2, the committed copy).
 */
@JCStressTest
@Description("read() must never return a torn record while a writer sets it under the lock")
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "consistent snapshots")
@Outcome(expect = Expect.FORBIDDEN, desc = "torn snapshot accepted")
@State
public class SeqlockGuardSetTest {
    private final long value = SharedTriple.nextValue();

    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public SeqlockGuardSetTest() {
    }

    /** Writes a fresh consistent triple under the lock. */
    @Actor
    public void writer() {
        try (Guard<Triple> g = SharedTriple.RAW_ARC.acquire()) {
            g.set(Triple.of(value));
        }
        try (Guard<Triple> g = SharedTriple.ARC.acquire()) {
            g.set(Triple.of(value));
        }
    }

    /**
     * Reads both segments lock-free while the writer sets.
     *
     * @param r whether each lock-free snapshot is consistent: raw, crash-atomic
     */
    @Actor
    public void reader(ZZ_Result r) {
        r.r1 = SharedTriple.RAW_ARC.read().consistent();
        r.r2 = SharedTriple.ARC.read().consistent();
    }
}
