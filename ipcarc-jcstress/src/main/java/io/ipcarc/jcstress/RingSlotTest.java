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
 * A lossy ring's copying reader: a writer publishes into a ring of only two slots, so it keeps
 * overwriting the slot a reader is copying. The reader may get nothing, or report the entries
 * it lost, but must never hand out an entry whose bytes do not belong to its sequence. The ring
 * is shared by all iterations (its point is the overwriting): one segment per test JVM.
 */
@JCStressTest
@Description("a lossy ring reader must never hand out a torn or overwritten entry")
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "nothing new to read")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "an entry consistent with its sequence")
@Outcome(id = "2", expect = Expect.ACCEPTABLE_INTERESTING, desc = "lapped: the loss was reported, nothing torn handed out")
@Outcome(id = "3", expect = Expect.FORBIDDEN, desc = "a torn or mixed entry was handed out")
@State
public class RingSlotTest {
    private static final Ring<byte[]> RING = TestRings.unlinked("ring");
    private static final RingWriter<byte[]> WRITER = RING.claimWriter(WriterMode.LOSSY);
    private static final RingReader<byte[]> READER = RING.claimReader(0);

    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public RingSlotTest() {
    }

    /** Publishes one entry; the only writer thread. */
    @Actor
    public void writer() {
        WRITER.tryPublish(TestRings.SIX_WORDS);
    }

    /**
     * Polls the ring once.
     *
     * @param r what one poll of the only reader thread saw
     */
    @Actor
    public void reader(I_Result r) {
        int[] outcome = {0};
        READER.poll(e -> {
            boolean ok = TestRings.consistent(e);
            outcome[0] = Math.max(outcome[0], ok ? 1 : 3);
        }, (from, to) -> outcome[0] = Math.max(outcome[0], 2), 1);
        r.r1 = outcome[0];
    }
}
