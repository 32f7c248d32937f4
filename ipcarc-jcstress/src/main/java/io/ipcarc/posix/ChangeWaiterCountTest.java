package io.ipcarc.posix;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
 * is taken): the waiter loads the version word and, unchanged, goes straight to
 * {@code ChangeSignal.sleep}, which counts it in the waiters word (atomic add) and loads the
 * word again (volatile) before FUTEX_WAIT; the releaser stores the new word, unlocks and loads
 * the count (after a full barrier). One of the two must see the other: the waiter must never
 * sleep until its timeout. In package {@code io.ipcarc.posix} to reach the handle; the private
 * {@code sleep} is called through reflection, set up once.
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
    private static final Field HANDLE;
    private static final MethodHandle SLEEP;

    static {
        try {
            HANDLE = PosixIpcArc.class.getDeclaredField("handle");
            HANDLE.setAccessible(true);
            Method sleep = ChangeSignal.class.getDeclaredMethod("sleep", long.class, long.class);
            sleep.setAccessible(true);
            SLEEP = MethodHandles.lookup().unreflect(sleep);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IpcArc<Long> arc = IpcArc.create("/ipcarc-jcstress-count-" + ProcessHandle.current().pid() + "-"
            + NEXT.incrementAndGet(), 0L);
    private final SegmentHandle handle;
    /** The version before the release. */
    private final long before;

    /** A fresh segment holding 0. */
    public ChangeWaiterCountTest() {
        try {
            handle = (SegmentHandle) HANDLE.get(arc);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
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
        long word = handle.header.getLongAcquire(SegmentDescriptor.SEQUENCE_OFFSET);
        if ((word & ~1L) != before) {
            r.r1 = 0; // the release's version is there already
            return;
        }
        long t0 = System.nanoTime();
        try {
            SLEEP.invoke(handle.changes, word, TIMEOUT_NANOS);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        r.r1 = System.nanoTime() - t0 >= TIMEOUT_NANOS - 500_000_000L ? 2 : 1;
    }

    /** Removes the segment: the last close unlinks it. */
    @Arbiter
    public void close() {
        arc.close();
    }
}
