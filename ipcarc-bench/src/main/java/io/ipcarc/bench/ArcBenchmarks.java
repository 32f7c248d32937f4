package io.ipcarc.bench;

import io.ipcarc.ArcOptions;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Single-process costs of IpcArc operations on segments in /dev/shm, one thread, uncontended. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ArcBenchmarks {
    /** Creates the benchmark state; JMH calls it once per fork. */
    public ArcBenchmarks() {
    }

    private static final ArcOptions RAW = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW);
    /** Crash-atomic (the default for small payloads). */
    private IpcArc<Long> counter;
    /** Crash-atomic (the default for small payloads). */
    private IpcArc<Triple> triple;
    private IpcArc<Long> rawCounter;
    private IpcArc<Triple> rawTriple;
    private SharedBuffer counterBuffer;
    private SharedBuffer tripleBuffer;
    private String scratchName;

    /** Creates the segments the benchmarks use. */
    @Setup
    public void setUp() {
        counter = IpcArc.create(BenchNames.next("long"), 0L);
        triple = IpcArc.create(BenchNames.next("triple"), new Triple(1, 2, 3));
        rawCounter = IpcArc.create(BenchNames.next("rawlong"), ShmType.of(Long.class), 0L, RAW);
        rawTriple = IpcArc.create(BenchNames.next("rawtriple"), ShmType.of(Triple.class), new Triple(1, 2, 3), RAW);
        counterBuffer = rawCounter.buffer();
        tripleBuffer = rawTriple.buffer();
        scratchName = BenchNames.next("scratch");
    }

    /** Closes (and so unlinks) them. */
    @TearDown
    public void tearDown() {
        counter.close();
        triple.close();
        rawCounter.close();
        rawTriple.close();
        BenchNames.removeAll(ProcessHandle.current().pid());
    }

    /** Lock and unlock: {@code acquire()} then {@code close()}. */
    @Benchmark
    public void acquireClose() {
        counter.acquire().close();
    }

    /**
     * Returns the incremented counter, under the lock.
     *
     * @return the incremented counter, under the lock
     */
    @Benchmark
    public long acquireGetSetCloseLong() {
        try (Guard<Long> g = counter.acquire()) {
            long v = g.get() + 1;
            g.set(v);
            return v;
        }
    }

    /**
     * Returns the record, rewritten under the lock.
     *
     * @return the record, rewritten under the lock
     */
    @Benchmark
    public Triple acquireGetSetCloseTriple() {
        try (Guard<Triple> g = triple.acquire()) {
            Triple t = g.get();
            Triple n = new Triple(t.a() + 1, t.b() + 2, t.c() + 3);
            g.set(n);
            return n;
        }
    }

    /**
     * Returns the record, rewritten under the lock of a raw payload (in place, under the seqlock).
     *
     * @return the record, rewritten under the lock of a raw payload (in place, under the seqlock)
     */
    @Benchmark
    public Triple acquireGetSetCloseTripleRaw() {
        try (Guard<Triple> g = rawTriple.acquire()) {
            Triple t = g.get();
            Triple n = new Triple(t.a() + 1, t.b() + 2, t.c() + 3);
            g.set(n);
            return n;
        }
    }

    /**
     * Returns the first field, after three plain puts through the guard's view (crash-atomic: a copy first).
     *
     * @return the first field, after three plain puts through the guard's view (crash-atomic: a copy first)
     */
    @Benchmark
    public long acquireBufferWriteCloseTriple() {
        try (Guard<Triple> g = triple.acquire()) {
            SharedBuffer b = g.buffer();
            long a = b.getLong(0) + 1;
            b.putLong(0, a);
            b.putLong(8, 2 * a);
            b.putLong(16, 3 * a);
            return a;
        }
    }

    /**
     * Returns the first field, after the same three puts on a raw payload.
     *
     * @return the first field, after the same three puts on a raw payload
     */
    @Benchmark
    public long acquireBufferWriteCloseTripleRaw() {
        try (Guard<Triple> g = rawTriple.acquire()) {
            SharedBuffer b = g.buffer();
            long a = b.getLong(0) + 1;
            b.putLong(0, a);
            b.putLong(8, 2 * a);
            b.putLong(16, 3 * a);
            return a;
        }
    }

    /**
     * Returns the record, read under the lock.
     *
     * @return the record, read under the lock
     */
    @Benchmark
    public Triple acquireGetCloseTriple() {
        try (Guard<Triple> g = triple.acquire()) {
            return g.get();
        }
    }

    /**
     * Returns the counter, read lock-free.
     *
     * @return the counter, read lock-free
     */
    @Benchmark
    public Long readLong() {
        return counter.read();
    }

    /**
     * Returns the record, read lock-free.
     *
     * @return the record, read lock-free
     */
    @Benchmark
    public Triple readTriple() {
        return triple.read();
    }

    /**
     * Returns the record of a raw payload, read lock-free (the seqlock).
     *
     * @return the record of a raw payload, read lock-free (the seqlock)
     */
    @Benchmark
    public Triple readTripleRaw() {
        return rawTriple.read();
    }

    /**
     * Diagnostic: the five bounds- and closed-checked loads that read() of the record makes
     * (sequence word, three fields, sequence word) with its two fences, without the retry logic
     * or the allocation.
     *
     * @return their sum
     */
    @Benchmark
    public long fiveCheckedLoads() {
        SharedBuffer b = tripleBuffer;
        long s = b.getLong(0);
        VarHandle.acquireFence();
        long sum = b.getLong(0) + b.getLong(8) + b.getLong(16);
        VarHandle.loadLoadFence();
        return s + sum + b.getLong(0);
    }

    /**
     * Returns the counter before an atomic add on the zero-copy view.
     *
     * @return the counter before an atomic add on the zero-copy view
     */
    @Benchmark
    public long getAndAddLong() {
        return counterBuffer.getAndAddLong(0, 1);
    }

    /** Creates a segment, loads it a second time, closes both (the last close unlinks it). */
    @Benchmark
    public void createLoadClose() {
        try (IpcArc<Long> created = IpcArc.create(scratchName, 1L);
             IpcArc<Long> loaded = IpcArc.load(scratchName, Long.class)) {
            if (loaded.refCount() != 2) {
                throw new IllegalStateException("refCount=" + loaded.refCount() + ", name=" + created.name());
            }
        }
    }
}
