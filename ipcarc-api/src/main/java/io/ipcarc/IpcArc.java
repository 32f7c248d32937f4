package io.ipcarc;

import java.time.Duration;
import java.util.Optional;

/**
 * A named, typed, reference-counted value in POSIX shared memory, protected by a
 * process-shared lock: what {@code Arc<Mutex<T>>} is to threads, for processes on one host.
 *
 * <pre>{@code
 * // process A
 * try (IpcArc<Long> counter = IpcArc.create("/counter", 77L)) {
 *     // process B:  IpcArc<Long> c = IpcArc.load("/counter", Long.class);
 *     try (Guard<Long> g = counter.acquire()) {
 *         g.set(g.get() + 1);
 *     }
 * }   // the last close, in whichever process, unlinks the segment
 * }</pre>
 *
 * <p>Each {@code IpcArc} object is one handle: {@link #refCount()} counts the open handles
 * of all processes. A process that dies (even by SIGKILL) without closing its handles has
 * them reaped by the next create, load or close of the segment; a JVM that exits normally
 * or on SIGINT/SIGTERM releases them in a shutdown hook.
 *
 * <p>Instances are thread-safe. After {@link #close()} every method but {@code close},
 * {@code name}, {@code type} and {@code isOpen} throws {@link IllegalStateException}; closing
 * while a thread of this process holds or waits for the lock, or waits in
 * {@link #awaitChange(long)}, through this handle throws {@link IllegalStateException} and leaves
 * the handle open.
 *
 * <p>The lock follows the conventions of {@link java.util.concurrent.locks.Lock}. Every method
 * works on virtual threads (JDK 21+), and none pins a carrier thread while it waits: a pthread
 * mutex belongs to an OS thread, so a virtual thread's lock is taken and released for it by one
 * platform thread per handle, and its {@code awaitChange} parks while one platform thread per
 * handle sleeps in the kernel for all of them (a few microseconds of hand-off per guard).
 *
 * @param <T> the payload type
 */
public interface IpcArc<T> extends AutoCloseable {

    /**
     * Creates a segment holding {@code value}, with the type derived from the value.
     *
     * @param name the segment name, {@code "/name"} or {@code "name"}
     * @param value the initial value: a boxed primitive, a record, or a {@code byte[]}
     * @param <T> the payload type
     * @return the first handle, refcount 1
     * @throws SegmentExistsException if the name is taken
     */
    static <T> IpcArc<T> create(String name, T value) {
        return create(name, ShmType.ofValue(value), value);
    }

    /**
     * Creates a segment of the given type.
     *
     * @param name the segment name
     * @param type the payload type
     * @param value the initial value, or {@code null} for an all-zero payload
     * @param <T> the payload type
     * @return the first handle, refcount 1
     * @throws SegmentExistsException if the name is taken
     */
    static <T> IpcArc<T> create(String name, ShmType<T> type, T value) {
        return create(name, type, value, ArcOptions.defaults());
    }

    /**
     * Creates a segment of the given type with options such as its file mode.
     *
     * @param name the segment name
     * @param type the payload type
     * @param value the initial value, or {@code null} for an all-zero payload
     * @param options mode and timeouts
     * @param <T> the payload type
     * @return the first handle, refcount 1
     * @throws SegmentExistsException if the name is taken
     */
    static <T> IpcArc<T> create(String name, ShmType<T> type, T value, ArcOptions options) {
        return ProviderHolder.provider().create(SegmentNames.normalize(name), type, value, options);
    }

    /**
     * Loads an existing segment, checking that it holds values of {@code type}.
     *
     * @param name the segment name
     * @param type the expected payload class
     * @param <T> the payload type
     * @return a new handle
     * @throws SegmentNotFoundException if there is no such segment
     * @throws TypeMismatchException if it holds another type
     * @throws CorruptSegmentException if the object is not a usable IpcArc segment
     */
    static <T> IpcArc<T> load(String name, Class<T> type) {
        return load(name, ShmType.of(type));
    }

    /**
     * Loads an existing segment, checking that it holds values of {@code type}.
     *
     * @param name the segment name
     * @param type the expected payload type
     * @param <T> the payload type
     * @return a new handle
     */
    static <T> IpcArc<T> load(String name, ShmType<T> type) {
        return load(name, type, ArcOptions.defaults());
    }

    /**
     * Loads an existing segment with options.
     *
     * @param name the segment name
     * @param type the expected payload type
     * @param options timeouts
     * @param <T> the payload type
     * @return a new handle
     */
    static <T> IpcArc<T> load(String name, ShmType<T> type, ArcOptions options) {
        return ProviderHolder.provider().load(SegmentNames.normalize(name), java.util.Objects.requireNonNull(type, "type"), options);
    }

    /**
     * Loads an existing segment, with the type read from the descriptor in its header
     * (record classes are looked up through the thread's context class loader).
     *
     * @param name the segment name
     * @param <T> the payload type the caller expects; checked only when values are read
     * @return a new handle
     */
    static <T> IpcArc<T> load(String name) {
        return load(name, ArcOptions.defaults());
    }

    /**
     * Loads an existing segment with options, with the type read from the descriptor in its header.
     *
     * @param name the segment name
     * @param options timeouts
     * @param <T> the payload type the caller expects; checked only when values are read
     * @return a new handle
     */
    static <T> IpcArc<T> load(String name, ArcOptions options) {
        return ProviderHolder.provider().load(SegmentNames.normalize(name), null, options);
    }

    /**
     * Loads the segment if it exists, creates it otherwise. Among any number of concurrent
     * callers in any processes, exactly one creates; the others load what it created.
     *
     * @param name the segment name
     * @param value the initial value if this call creates the segment
     * @param <T> the payload type
     * @return a handle
     */
    static <T> IpcArc<T> openOrCreate(String name, T value) {
        return openOrCreate(name, ShmType.ofValue(value), value);
    }

    /**
     * Loads the segment if it exists, creates it otherwise.
     *
     * @param name the segment name
     * @param type the payload type
     * @param value the initial value if this call creates the segment, or {@code null} for zeros
     * @param <T> the payload type
     * @return a handle
     */
    static <T> IpcArc<T> openOrCreate(String name, ShmType<T> type, T value) {
        return openOrCreate(name, type, value, ArcOptions.defaults());
    }

    /**
     * Loads the segment if it exists, creates it otherwise, with options.
     *
     * @param name the segment name
     * @param type the payload type
     * @param value the initial value if this call creates the segment, or {@code null} for zeros
     * @param options mode and timeouts
     * @param <T> the payload type
     * @return a handle; {@link #created()} tells whether this call created the segment
     */
    static <T> IpcArc<T> openOrCreate(String name, ShmType<T> type, T value, ArcOptions options) {
        return ProviderHolder.provider().openOrCreate(SegmentNames.normalize(name), type, value, options);
    }

    /**
     * The name of the segment.
     *
     * @return the normalised segment name, with its leading slash
     */
    String name();

    /**
     * The type of the value in the segment.
     *
     * @return the payload type
     */
    ShmType<T> type();

    /**
     * Whether this handle created the segment.
     *
     * @return whether this handle created the segment (as opposed to loading it)
     */
    boolean created();

    /**
     * How the segment keeps its payload when a holder dies mid-update, as its creator chose.
     *
     * @return {@link ArcOptions.PayloadMode#CRASH_ATOMIC} or {@link ArcOptions.PayloadMode#RAW}
     */
    ArcOptions.PayloadMode payloadMode();

    /**
     * The number of open handles to this segment across all processes.
     *
     * @return the shared reference count
     */
    long refCount();

    /**
     * A snapshot for monitoring: the segment's refcount, live holders and change waiters now, and
     * this process's counts of lock waits, owner deaths recovered and dead holders reaped for this
     * segment ({@link ArcStatistics} says which is which). Reads a few shared words and asks the
     * kernel about each occupied holder slot's liveness token (one {@code fcntl} each): meant for
     * a metrics scrape, not for a hot loop.
     *
     * <pre>{@code
     * ArcStatistics s = counter.statistics();
     * System.out.println(s.refCount() + " handles, " + s.lockWaits() + " waits, " + s.lockWaitTime() + " waited");
     * }</pre>
     *
     * @return the snapshot
     * @throws IllegalStateException if this handle is closed
     */
    ArcStatistics statistics();

    /**
     * Acquires the process-shared lock, waiting as long as it takes. Not interruptible.
     *
     * @return the guard; close it to release the lock
     * @throws IllegalStateException if this thread already holds the lock
     */
    Guard<T> acquire();

    /**
     * Acquires the lock unless the thread is interrupted.
     *
     * @return the guard
     * @throws InterruptedException if interrupted while waiting
     */
    Guard<T> acquireInterruptibly() throws InterruptedException;

    /**
     * Acquires the lock only if it is free now.
     *
     * @return the guard, or empty if another thread or process holds the lock
     */
    Optional<Guard<T>> tryAcquire();

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return the guard
     * @throws LockTimeoutException if the lock was not free in time
     */
    Guard<T> acquire(Duration timeout);

    /**
     * A consistent snapshot of the value, read without taking the lock: the copy is retried
     * while a holder of the lock may be writing (a seqlock; see docs/seqlock.md). It is
     * consistent with respect to writes made under the lock; writes made without the lock
     * through {@link #buffer()} are not covered. After a bounded number of attempts (a holder
     * that keeps the lock, or one that died mid-update) it reads under the lock instead, which
     * also recovers a lock whose holder died. Never blocks while the lock is free.
     *
     * @return a new copy of the value
     */
    T read();

    /**
     * The version of the value: an even number that grows each time a guard on this segment is
     * released, in any process (the holder may have changed the value; {@link #read()} does not
     * change the version). Take the version before reading the value, then wait for the next
     * change with {@link #awaitChange(long)}; a change between the two makes the wait return at
     * once, so none is missed:
     *
     * <pre>{@code
     * long v = arc.version();
     * while (running) {
     *     Config c = arc.read();      // at least as new as v
     *     apply(c);
     *     v = arc.awaitChange(v);     // sleeps, no CPU, until a guard is released
     * }
     * }</pre>
     *
     * @return the current version
     */
    long version();

    /**
     * Waits, asleep in the kernel (a process-shared futex), until the version differs from
     * {@code version}: until a guard is released, in this process or another. The releasing
     * process wakes the waiters within microseconds; it makes that system call only while
     * someone waits. A guard whose holder died is not a change until the next holder releases
     * its guard. Do not wait while this thread holds the lock: no one else can then make a
     * change. As with {@link Object#wait()}, a thread interrupted on entry throws at once.
     *
     * @param version a value returned by {@link #version()} or by an earlier wait
     * @return the new version
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalArgumentException if {@code version} is odd (not a version)
     */
    long awaitChange(long version) throws InterruptedException;

    /**
     * As {@link #awaitChange(long)}, waiting at most {@code timeout}.
     *
     * @param version a value returned by {@link #version()} or by an earlier wait
     * @param timeout the longest wait
     * @return the new version, or {@code version} itself if there was no change in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    long awaitChange(long version, Duration timeout) throws InterruptedException;

    /**
     * A zero-copy view of a raw payload, for lock-free structures built on atomics (such as a
     * ring). Plain reads and writes through it are only consistent under the lock, and they do
     * not change {@link #version()}.
     *
     * @return the payload's bytes; valid until this handle is closed
     * @throws IllegalStateException if the payload is crash-atomic (it then exists twice, and
     *     only a guard knows which copy to use): create the segment with
     *     {@link ArcOptions.PayloadMode#RAW}
     */
    SharedBuffer buffer();

    /**
     * A process-shared futex on the 32-bit word at {@code offset} of a raw payload, for
     * lock-free structures that need to sleep until another process publishes something.
     *
     * @param offset 4-aligned byte offset in the payload
     * @return the word; valid until this handle is closed
     * @throws IllegalStateException if the payload is not raw (see {@link ArcOptions.PayloadMode})
     */
    FutexWord futexWord(int offset);

    /**
     * The {@link PayloadLock} whose slot starts at {@code offset} of the raw payload: one of the
     * locks its creator asked for with {@link ArcOptions#withPayloadLocks(int, int)}.
     *
     * @param offset payload offset of the lock's slot, a multiple of {@link PayloadLock#SLOT_BYTES}
     * @return the lock; usable until this handle is closed
     * @throws IllegalStateException if the payload is not raw
     * @throws IllegalArgumentException if the slot does not fit in the payload or is misaligned
     * @throws CorruptSegmentException (on first use) if no lock was initialised there
     */
    PayloadLock payloadLock(int offset);

    /**
     * Checks, with one system call ({@code fstat}), that the segment still has the size it was
     * created with. The library makes this check itself before every wait and after every
     * wake-up; a structure built on a raw payload calls it before an atomic update (a
     * compare-and-set, a get-and-add) on a slow path: before sleeping, when claiming or
     * releasing a role. On JDK 17 an atomic update of a page that another process cut away,
     * made while the code is still interpreted, kills the JVM (docs/design.md, "Truncation");
     * this check narrows that to the nanoseconds between it and the update.
     *
     * @throws CorruptSegmentException if another process truncated or resized the segment
     * @throws IllegalStateException if this handle is closed
     */
    void checkSize();

    /**
     * This process's identity among the holders of this segment: non-zero, the same for every
     * handle of the segment in this process, and not given to another process while this one
     * holds a handle. Structures in the payload record it to say which process owns a role
     * (a ring's writer or reader slot), and {@link #isHolderAlive(long)} later tells whether
     * that process still lives, whatever its PID namespace.
     *
     * @return the token
     */
    long holderId();

    /**
     * Whether the process that had {@code holderId} still holds this segment (it is alive: its
     * kernel-kept liveness token is still held), in any PID namespace.
     *
     * @param holderId a value returned by {@link #holderId()} in some process
     * @return false if that process died or released its last handle, or for 0
     */
    boolean isHolderAlive(long holderId);

    /**
     * Keeps the segment, instead of unlinking it, when this handle turns out to drop the last
     * reference of all processes while {@code condition} holds for the payload: for data that
     * must outlive every process that has it open, such as the entries of a lossless ring that
     * its registered readers have not read yet (module {@code ipcarc-ring} sets one on every ring).
     *
     * <pre>{@code
     * IpcArc<Long> pending = IpcArc.create("/pending-jobs", 3L);      // jobs not done yet
     * pending.retainOnLastClose(payload -> payload.getLong(0) > 0); // keep them while any are left
     * pending.close();                                              // the last close: kept, refCount 0
     * // later, in any process:
     * try (IpcArc<Long> later = IpcArc.load("/pending-jobs", Long.class)) {
     *     later.retainOnLastClose(payload -> payload.getLong(0) > 0);
     *     try (Guard<Long> g = later.acquire()) {
     *         g.set(0L);                                            // every job done
     *     }
     * }                                                             // nothing left: unlinked
     * }</pre>
     *
     * <p>The condition is evaluated once, by the release that drops the last reference (whichever
     * way it comes: {@link #close()}, the shutdown hook of a JVM that exits or gets SIGINT/SIGTERM,
     * or the cleaner of an unreachable handle), under the segment's admin mutex, so no process can
     * load the segment meanwhile; a release that leaves other references does not evaluate it. It
     * gets a read-only view of the committed payload, valid only during the call; it must return
     * quickly, must not use this handle (it is being closed) and should not capture it (the
     * cleaner could then never release a handle left unclosed). A condition that throws keeps the
     * segment (and is logged at WARNING). A kept segment stays ready with refcount 0 and no holder
     * ({@link SegmentInfo#isRetained()}); the next load adopts it, and its own last close decides
     * again with that handle's condition (a handle without one unlinks as usual).
     * {@link IpcArcs#removeOrphans()} (and {@code ipcarc gc --remove}) leave it; {@link IpcArcs#remove}
     * (and {@code ipcarc rm}) removes it. A process killed with SIGKILL never evaluates anything:
     * its handles are reaped by the next process, as always.
     *
     * @param condition whether to keep the segment, given its payload; replaces an earlier one
     * @throws IllegalStateException if this handle is closed
     */
    void retainOnLastClose(java.util.function.Predicate<SharedView> condition);

    /**
     * Whether this handle is still open.
     *
     * @return false once this handle has been closed
     */
    boolean isOpen();

    /**
     * Releases this handle. Idempotent. The last handle of all processes unlinks the segment,
     * unless its {@link #retainOnLastClose retention condition} holds.
     *
     * @throws IllegalStateException if a thread of this process holds or waits for the lock, or
     *     awaits a change, through this handle
     */
    @Override
    void close();
}
