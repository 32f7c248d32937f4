package io.ipcarc.jcstress;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.time.Duration;
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
 * IpcArc's wait for a change, through the public API, on a fresh segment per iteration: a waiter
 * takes the version, reads the value and, if the change has not happened, waits for it, while
 * a releaser sets the value under the lock. If the waiter read the old value, the release comes
 * after its version, so the wait must end with a new version, never at its timeout.
 */
@JCStressTest
@Description("awaitChange must not miss a guard released after the version was taken")
@Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "the waiter read the new value: no wait needed")
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "the waiter waited and saw the change")
@Outcome(id = "2", expect = Expect.FORBIDDEN, desc = "the waiter waited until its timeout: the wake-up was lost")
@Outcome(id = "3", expect = Expect.FORBIDDEN, desc = "the waiter was interrupted (nobody interrupts it)")
@State
public class AwaitChangeWakeTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** Creates the state of one trial (jcstress needs a public constructor without arguments). */
    public AwaitChangeWakeTest() {
    }

    /** Long enough that only a lost wake-up, never a slow one, reaches it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final IpcArc<Long> arc = IpcArc.create("/ipcarc-jcstress-await-" + ProcessHandle.current().pid() + "-"
            + NEXT.incrementAndGet(), 0L);

    /** Sets the value to 1 under the lock; closing the guard is the change. */
    @Actor
    public void releaser() {
        try (Guard<Long> g = arc.acquire()) {
            g.set(1L);
        }
    }

    /**
     * Takes the version, then waits for a change after it, with a timeout.
     *
     * @param r what the waiter saw
     */
    @Actor
    public void waiter(I_Result r) {
        long v = arc.version();
        if (arc.read() == 1L) {
            r.r1 = 0;
            return;
        }
        try {
            r.r1 = arc.awaitChange(v, TIMEOUT) != v ? 1 : 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = 3;
        }
    }

    /** Removes the segment: the last close unlinks it. */
    @Arbiter
    public void close() {
        arc.close();
    }
}
