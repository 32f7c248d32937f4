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
 * The lossless writer's wait for room, on a fresh full ring per iteration: the writer announces
 * that it sleeps and looks once more at the readers' positions, while the only reader consumes
 * an entry and commits. Either the writer sees the room and does not sleep, or the reader sees
 * the sleeping writer and wakes it; the writer must never sleep until its timeout.
 */
@JCStressTest
@Description("a lossless writer waiting for room must see the reader's commit or be woken by it")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the writer saw the room before sleeping")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the writer slept and the reader's commit woke it")
@Outcome(id = "2, 1", expect = Expect.FORBIDDEN, desc = "the writer slept until its timeout: the wake-up was lost")
@State
public class RingWriterSleepWakeTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** Long enough that only a lost wake-up, never a slow one, reaches it. */
    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private final Ring<Long> ring;
    private final RingReader<Long> reader;
    private final RingWriter<Long> writer;

    /** A fresh ring of two entries, both published, its only reader still at the first. */
    public RingWriterSleepWakeTest() {
        ring = Ring.create("/ipcarc-jcstress-room-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet(),
                ShmType.of(Long.class), RingOptions.defaults().withCapacity(2).withReaderSlots(1));
        reader = ring.claimReader(0);
        writer = ring.claimWriter(WriterMode.LOSSLESS);
        writer.tryPublish(1L);
        writer.tryPublish(2L);
    }

    /**
     * The writer makes one attempt to wait for room, with a timeout.
     *
     * @param r r1: what the writer's one attempt to sleep did
     */
    @Actor
    public void writer(II_Result r) {
        r.r1 = writer.sleepForRoom(TIMEOUT_NANOS).ordinal();
    }

    /**
     * The reader consumes what is there and commits, which must wake a sleeping writer.
     *
     * @param r r2: entries the reader consumed and committed
     */
    @Actor
    public void reader(II_Result r) {
        r.r2 = reader.poll(e -> { }, 1);
        reader.commit();
    }

    /**
     * Removes the ring: the reader is released first (the lossless ring would otherwise keep the
     * entry it has not read), so the last close unlinks it.
     */
    @Arbiter
    public void close() {
        reader.release();
        ring.close();
    }
}
