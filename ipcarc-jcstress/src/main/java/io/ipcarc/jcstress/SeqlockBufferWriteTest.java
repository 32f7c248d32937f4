package io.ipcarc.jcstress;

import io.ipcarc.Guard;
import io.ipcarc.SharedBuffer;
import io.ipcarc.jcstress.SharedTriple.Triple;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A writer stores the three fields one by one with plain puts through Guard.buffer() (the
 * zero-copy path the seqlock cannot see store by store), in the order most likely to tear,
 * while a reader calls the lock-free read(): on a raw payload (r1) and on a crash-atomic one
 * (r2, where the view is the shadow copy).
 */
@JCStressTest
@Description("read() must never return a torn record while a writer stores its fields through Guard.buffer()")
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "consistent snapshots")
@Outcome(expect = Expect.FORBIDDEN, desc = "torn snapshot accepted")
@State
public class SeqlockBufferWriteTest {
    private final long value = SharedTriple.nextValue();

    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public SeqlockBufferWriteTest() {
    }

    /** Stores c, then b, then a, with plain puts, under the lock. */
    @Actor
    public void writer() {
        write(SharedTriple.RAW_ARC);
        write(SharedTriple.ARC);
    }

    private void write(io.ipcarc.IpcArc<Triple> arc) {
        try (Guard<Triple> g = arc.acquire()) {
            SharedBuffer b = g.buffer();
            b.putLong(16, 3 * value);
            b.putLong(8, 2 * value);
            b.putLong(0, value);
        }
    }

    /**
     * Reads both segments lock-free while the writer stores.
     *
     * @param r whether each lock-free snapshot is consistent: raw, crash-atomic
     */
    @Actor
    public void reader(ZZ_Result r) {
        r.r1 = SharedTriple.RAW_ARC.read().consistent();
        r.r2 = SharedTriple.ARC.read().consistent();
    }
}
