package io.ipcarc.jcstress;

import io.ipcarc.ArcOptions;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The ring's per-slot seqlock: a writer publishes into a ring of only two slots, so it keeps
 * overwriting the slot a reader is copying. The reader may get nothing, or report the entries
 * it lost, but must never accept an entry whose body does not belong to its sequence.
 */
@JCStressTest
@Description("a ring reader must never accept a torn or overwritten entry")
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "nothing new to read")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "an entry consistent with its sequence")
@Outcome(id = "2", expect = Expect.ACCEPTABLE_INTERESTING, desc = "lapped: the loss was reported, nothing torn accepted")
@Outcome(id = "3", expect = Expect.FORBIDDEN, desc = "a torn or mixed entry was accepted")
@State
public class RingSlotTest {
    private static final String NAME = "/ipcarc-jcstress-ring-" + ProcessHandle.current().pid();
    private static final Ring RING = Ring.create(NAME, 2, ArcOptions.defaults());
    private static final RingWriter WRITER = RING.claimWriter(false);
    private static final RingReader READER = RING.claimReader(0, Ring.StartFrom.OLDEST);
    private static final RingWriter.EntryBody BODY = (buf, off, seq) -> {
        // six words that all depend on seq, written in the order most likely to tear
        for (int i = 5; i >= 0; i--) {
            buf.putLong(off + 8 * i, seq * 31 + i);
        }
    };

    static {
        // jcstress ends its JVMs without shutdown hooks: unlink the name now; the mapping stays valid
        try {
            Files.deleteIfExists(Path.of("/dev/shm", NAME.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink the test ring: name=" + NAME, e);
        }
    }

    /** Publishes one entry; the only writer thread. */
    @Actor
    public void writer() {
        WRITER.publish(BODY, WaitStrategy.SPIN, () -> true);
    }

    /** @param r what one poll of the only reader thread saw */
    @Actor
    public void reader(I_Result r) {
        int[] outcome = {0};
        READER.poll((seq, e) -> {
            boolean ok = e[1] == seq;
            for (int i = 0; i < 6; i++) {
                ok &= e[2 + i] == seq * 31 + i;
            }
            outcome[0] = Math.max(outcome[0], ok ? 1 : 3);
        }, (from, to) -> outcome[0] = Math.max(outcome[0], 2), 1);
        r.r1 = outcome[0];
    }
}
