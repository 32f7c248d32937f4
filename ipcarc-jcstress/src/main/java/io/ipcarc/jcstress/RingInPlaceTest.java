package io.ipcarc.jcstress;

import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A lossless ring's reader reads entries in place (no copy) while the writer keeps publishing
 * into a ring of two slots as fast as the reader commits: it must never see an entry change
 * under it, nor lose one.
 */
@JCStressTest
@Description("a lossless ring reader reading in place must never see a torn entry nor lose one")
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "nothing new to read")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "the next entry, consistent with its sequence")
@Outcome(id = "2", expect = Expect.FORBIDDEN, desc = "an entry was lost, or delivered out of order")
@Outcome(id = "3", expect = Expect.FORBIDDEN, desc = "a torn entry was handed out")
@State
public class RingInPlaceTest {
    private static final Ring<byte[]> RING = TestRings.unlinked("ring-inplace");
    private static final RingReader<byte[]> READER = RING.claimReader(0);
    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public RingInPlaceTest() {
    }

    /** Claimed after the reader, so it acknowledges the reader's registration at once: reads are in place. */
    private static final RingWriter<byte[]> WRITER = RING.claimWriter(WriterMode.LOSSLESS);
    private static long expected;

    /** Publishes one entry if there is room; the only writer thread. */
    @Actor
    public void writer() {
        WRITER.tryPublish(TestRings.SIX_WORDS);
    }

    /**
     * Polls the ring once, reading the entry in place.
     *
     * @param r what one poll of the only reader thread saw
     */
    @Actor
    public void reader(I_Result r) {
        int[] outcome = {0};
        READER.poll(e -> {
            boolean ok = TestRings.consistent(e);
            outcome[0] = Math.max(outcome[0], !ok ? 3 : e.sequence() != expected ? 2 : 1);
            expected = e.sequence() + 1;
        }, (from, to) -> outcome[0] = Math.max(outcome[0], 2), 1);
        READER.commit();
        r.r1 = outcome[0];
    }
}
