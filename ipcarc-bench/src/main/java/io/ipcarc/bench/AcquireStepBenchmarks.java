package io.ipcarc.bench;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import java.util.concurrent.TimeUnit;
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
 *   <li>{@link #pairWords}: + the twelve accesses of shared words that the protocol makes (the
 *       mutex kind check; the owner pid stored and cleared; the commit word and the owner-died
 *       flag read; the mutex's owner word and robust-list links noted after locking and compared
 *       before unlocking), at their own offsets in a real segment and through the memory the
 *       library itself uses for them ({@link LibraryWords});</li>
 *   <li>{@link #pairWordsGuard}: + the handle's two closed checks (before and after the
 *       trylock), the lock holder recorded and cleared (for the relock check and for close()),
 *       the owner-thread check and the guard object.</li>
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
    private IpcArc<Triple> words;
    private LibraryWords lib;
    private final int pid = (int) ProcessHandle.current().pid();
    /** Stand-ins for the closed flag and the two holder fields (thread ids) the library writes. */
    private volatile boolean closed;
    private long lockOwner;
    private long holder;

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
     * Returns a sum of what was read, so that no load is dead.
     *
     * @return a sum of what was read, so that no load is dead
     * @throws Throwable never: the calls return error codes
     */
    @Benchmark
    public long pairWords() throws Throwable {
        LibraryWords w = lib;
        if (w.getInt(w.kind) != w.kindValue) {
            throw new IllegalStateException("kind");
        }
        int rc = (int) MutexCalls.TRYLOCK.invokeExact(mutex);
        w.putInt(w.ownerPid, pid);
        long word = w.getLong(w.sequence);
        long died = w.getInt(w.ownerDied);
        int owner = w.getInt(w.mutexOwner);
        long prev = w.getLong(w.listPrev);
        long next = w.getLong(w.listNext);
        w.putInt(w.ownerPid, 0);
        if (w.getInt(w.kind) != w.kindValue || w.getInt(w.mutexOwner) != owner || w.getLong(w.listPrev) != prev
                || w.getLong(w.listNext) != next) {
            throw new IllegalStateException("damaged");
        }
        rc += (int) MutexCalls.UNLOCK.invokeExact(mutex);
        return rc + word + died;
    }

    /**
     * Returns the guard-sized object, so that its allocation is not eliminated.
     *
     * @return the guard-sized object, so that its allocation is not eliminated
     * @throws Throwable never: the calls return error codes
     */
    @Benchmark
    public Object pairWordsGuard() throws Throwable {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        LibraryWords w = lib;
        if (w.getInt(w.kind) != w.kindValue) {
            throw new IllegalStateException("kind");
        }
        int rc = (int) MutexCalls.TRYLOCK.invokeExact(mutex);
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Thread me = Thread.currentThread();
        lockOwner = me.getId();
        holder = me.getId();
        w.putInt(w.ownerPid, pid);
        FakeGuard g = new FakeGuard(this, w, me, w.getInt(w.ownerDied) != 0, true, w.getLong(w.sequence),
                w.getInt(w.mutexOwner), w.getLong(w.listPrev), w.getLong(w.listNext), null, w);
        if (Thread.currentThread() != g.owner()) {
            throw new IllegalStateException("not the owner");
        }
        lockOwner = 0;
        holder = 0;
        w.putInt(w.ownerPid, 0);
        if (w.getInt(w.kind) != w.kindValue || w.getInt(w.mutexOwner) != g.heldOwner() || w.getLong(w.listPrev) != g.heldPrev()
                || w.getLong(w.listNext) != g.heldNext()) {
            throw new IllegalStateException("damaged");
        }
        rc += (int) MutexCalls.UNLOCK.invokeExact(mutex);
        return rc == 0 ? g : null;
    }
}
