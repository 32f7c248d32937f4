package io.ipcarc.bench;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Diagnostic: the steps of {@code acquire()+close()} rebuilt one on top of the other outside the
 * library, each with the binding ipcarc-posix uses on this JDK ({@link MutexCalls}), so that the
 * difference between two rungs of the ladder is what one step costs:
 * <ol>
 *   <li>{@link #pair}: {@code pthread_mutex_trylock} + {@code unlock}, nothing else;</li>
 *   <li>{@link #pairCounted}: + the handle's in-use count (one atomic increment before, one atomic
 *       decrement after), which lets {@code close()} refuse while a thread holds the lock;</li>
 *   <li>{@link #pairCountedWords}: + the twelve accesses of shared words that the protocol makes
 *       (the mutex kind check; the owner pid stored and cleared; the commit word and the
 *       owner-died flag read; the mutex's owner word and robust-list links noted after locking
 *       and compared before unlocking), at their own offsets in a real segment and through the
 *       view the library itself uses for them ({@link LibraryWords}: bounds-checked, without the
 *       per-access closed check that users' views make);</li>
 *   <li>{@link #pairCountedWordsGuard}: + the owner-thread checks and the guard object.</li>
 * </ol>
 * The gap from the last rung to {@code ArcBenchmarks.acquireClose} is the call structure itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AcquireStepBenchmarks {
    /** Creates the benchmark state; JMH calls it once per fork. */
    public AcquireStepBenchmarks() {
    }

    private long mutex;
    private final AtomicInteger users = new AtomicInteger();
    private IpcArc<Triple> words;
    private LibraryWords lib;
    private final int pid = (int) ProcessHandle.current().pid();
    private Thread lockOwner;

    /** A guard-sized object: what the library allocates per acquire. */
    record FakeGuard(Object arc, Object handle, Thread owner, boolean ownerDied, boolean acknowledges, long word,
                     int heldOwner, long heldPrev, long heldNext, Object grant, Object current) {
    }

    /** Creates the mutex and the words. */
    @Setup
    public void setUp() {
        mutex = MutexCalls.newMutex();
        words = IpcArc.create(BenchNames.next("steps"), ShmType.of(Triple.class), new Triple(0, 0, 0),
                ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW));
        lib = LibraryWords.of(words);
    }

    /** Closes (and so unlinks) the segment. */
    @TearDown
    public void tearDown() {
        words.close();
        BenchNames.removeAll(ProcessHandle.current().pid());
    }

    /**
     * Returns the unlock's return code.
     *
     * @return the unlock's return code
     * @throws Throwable never: the calls return error codes
     */
    @Benchmark
    public int pair() throws Throwable {
        int rc = (int) MutexCalls.TRYLOCK.invokeExact(mutex);
        return rc + (int) MutexCalls.UNLOCK.invokeExact(mutex);
    }

    /**
     * Returns the unlock's return code.
     *
     * @return the unlock's return code
     * @throws Throwable never: the calls return error codes
     */
    @Benchmark
    public int pairCounted() throws Throwable {
        if (users.getAndIncrement() < 0) {
            throw new IllegalStateException("closed");
        }
        int rc = (int) MutexCalls.TRYLOCK.invokeExact(mutex);
        rc += (int) MutexCalls.UNLOCK.invokeExact(mutex);
        users.decrementAndGet();
        return rc;
    }

    /**
     * Returns a sum of what was read, so that no load is dead.
     *
     * @return a sum of what was read, so that no load is dead
     * @throws Throwable never: the calls return error codes
     */
    @Benchmark
    public long pairCountedWords() throws Throwable {
        if (users.getAndIncrement() < 0) {
            throw new IllegalStateException("closed");
        }
        LibraryWords w = lib;
        SharedBuffer h = w.view;
        if (h.getInt(w.kind) != w.kindValue) {
            throw new IllegalStateException("kind");
        }
        int rc = (int) MutexCalls.TRYLOCK.invokeExact(mutex);
        h.putInt(w.ownerPid, pid);
        long word = h.getLong(w.sequence);
        long died = h.getInt(w.ownerDied);
        int owner = h.getInt(w.mutexOwner);
        long prev = h.getLong(w.listPrev);
        long next = h.getLong(w.listNext);
        h.putInt(w.ownerPid, 0);
        if (h.getInt(w.kind) != w.kindValue || h.getInt(w.mutexOwner) != owner || h.getLong(w.listPrev) != prev
                || h.getLong(w.listNext) != next) {
            throw new IllegalStateException("damaged");
        }
        rc += (int) MutexCalls.UNLOCK.invokeExact(mutex);
        users.decrementAndGet();
        return rc + word + died;
    }

    /**
     * Returns the guard-sized object, so that its allocation is not eliminated.
     *
     * @return the guard-sized object, so that its allocation is not eliminated
     * @throws Throwable never: the calls return error codes
     */
    @Benchmark
    public Object pairCountedWordsGuard() throws Throwable {
        Thread me = Thread.currentThread();
        if (lockOwner == me) {
            throw new IllegalStateException("relock");
        }
        if (users.getAndIncrement() < 0) {
            throw new IllegalStateException("closed");
        }
        LibraryWords w = lib;
        SharedBuffer h = w.view;
        if (h.getInt(w.kind) != w.kindValue) {
            throw new IllegalStateException("kind");
        }
        int rc = (int) MutexCalls.TRYLOCK.invokeExact(mutex);
        lockOwner = me;
        h.putInt(w.ownerPid, pid);
        FakeGuard g = new FakeGuard(this, h, me, h.getInt(w.ownerDied) != 0, true, h.getLong(w.sequence),
                h.getInt(w.mutexOwner), h.getLong(w.listPrev), h.getLong(w.listNext), null, h);
        if (Thread.currentThread() != g.owner()) {
            throw new IllegalStateException("not the owner");
        }
        lockOwner = null;
        h.putInt(w.ownerPid, 0);
        if (h.getInt(w.kind) != w.kindValue || h.getInt(w.mutexOwner) != g.heldOwner() || h.getLong(w.listPrev) != g.heldPrev()
                || h.getLong(w.listNext) != g.heldNext()) {
            throw new IllegalStateException("damaged");
        }
        rc += (int) MutexCalls.UNLOCK.invokeExact(mutex);
        users.decrementAndGet();
        return rc == 0 ? g : null;
    }
}
