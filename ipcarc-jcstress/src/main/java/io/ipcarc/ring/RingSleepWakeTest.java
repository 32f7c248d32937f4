package io.ipcarc.ring;

import io.ipcarc.ShmType;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The ring's wake-up protocol, on a fresh ring per iteration: a blocking reader announces that
 * it sleeps and looks once more for the next entry, while the writer publishes it and looks for
 * sleepers. Either the reader sees the entry and does not sleep, or the writer sees the sleeper
 * and wakes it; the reader must never sleep until its timeout (a lost wake-up). In package
 * {@code io.ipcarc.ring} to reach the reader's single sleep.
 */
@JCStressTest
@Description("a ring reader going to sleep must see the writer's entry or be woken by it")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the reader saw the entry before sleeping")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the reader slept and the writer woke it")
@Outcome(id = "2, 1", expect = Expect.FORBIDDEN, desc = "the reader slept until its timeout: the wake-up was lost")
@State
public class RingSleepWakeTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** Long enough that only a lost wake-up, never a slow one, reaches it. */
    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private final Ring<Long> ring;
    private final RingReader<Long> reader;
    private final RingWriter<Long> writer;

    /** A fresh ring: a reader registered as blocking, then a writer (which so knows it blocks). */
    public RingSleepWakeTest() {
        ring = Ring.create("/ipcarc-jcstress-wake-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet(),
                ShmType.of(Long.class), RingOptions.defaults().withCapacity(2).withReaderSlots(1));
        reader = ring.claimReader(0);
        reader.startBlocking();
        writer = ring.claimWriter(WriterMode.LOSSY);
    }

    /**
     * The writer publishes one entry, which must wake a sleeping reader.
     *
     * @param r r2: 1 if the entry was published
     */
    @Actor
    public void writer(II_Result r) {
        r.r2 = writer.tryPublish(7L) == 0 ? 1 : 0;
    }

    /**
     * The reader makes one attempt to wait for an entry, with a timeout.
     *
     * @param r r1: what the reader's one attempt to sleep did
     */
    @Actor
    public void reader(II_Result r) {
        r.r1 = reader.sleepFor(TIMEOUT_NANOS).ordinal();
    }

    /** Removes the ring: the last close unlinks it. */
    @Arbiter
    public void close() {
        ring.close();
    }
}
