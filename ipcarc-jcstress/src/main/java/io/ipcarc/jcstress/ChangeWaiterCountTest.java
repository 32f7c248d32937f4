package io.ipcarc.jcstress;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.posix.probe.ChangeWaitSteps;
import io.ipcarc.posix.probe.PosixProbe;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * awaitChange's waiter count against a release, on a fresh segment per iteration, without the
 * spinning that {@code awaitChange} does first (which usually sees the release before the count
 * is taken): the waiter loads the version word and, unchanged, goes straight to the
 * sleep step of the wait, which counts it in the waiters word (atomic add) and loads the
 * word again (volatile) before FUTEX_WAIT; the releaser stores the new word, unlocks and loads
 * the count (after a full barrier). One of the two must see the other: the waiter must never
 * sleep until its timeout. The two steps come from the provider's supported probe
 * ({@link ChangeWaitSteps}).
 */
@JCStressTest
@Description("a change waiter counted in the waiters word must see the release or be woken by it")
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "the waiter saw the new version before sleeping")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "the waiter slept and was woken (or its futex wait saw the new word)")
@Outcome(id = "2", expect = Expect.FORBIDDEN, desc = "the waiter slept until its timeout: the wake-up was lost")
@State
public class ChangeWaiterCountTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** Long enough that only a lost wake-up, never a slow one, reaches it. */
    private static final long TIMEOUT_NANOS = 5_000_000_000L;
    private final IpcArc<Long> arc = IpcArc.create("/ipcarc-jcstress-count-" + ProcessHandle.current().pid() + "-"
            + NEXT.incrementAndGet(), 0L);
    private final ChangeWaitSteps steps;
    /** The version before the release. */
    private final long before;

    /** A fresh segment holding 0. */
    public ChangeWaiterCountTest() {
        steps = PosixProbe.changeWaitSteps(arc);
        before = arc.version();
    }

    /** Sets the value to 1 under the lock; closing the guard stores the new version, unlocks and wakes. */
    @Actor
    public void releaser() {
        try (Guard<Long> g = arc.acquire()) {
            g.set(1L);
        }
    }

    /**
     * Waits for a change from the version before the release, skipping the spin phase.
     *
     * @param r what the waiter saw
     */
    @Actor
    public void waiter(I_Result r) {
        long word = steps.loadSequence();
        if ((word & ~1L) != before) {
            r.r1 = 0; // the release's version is there already
            return;
        }
        long t0 = System.nanoTime();
        steps.sleep(word, TIMEOUT_NANOS);
        r.r1 = System.nanoTime() - t0 >= TIMEOUT_NANOS - 500_000_000L ? 2 : 1;
    }

    /** Removes the segment: the last close unlinks it. */
    @Arbiter
    public void close() {
        arc.close();
    }
}
