package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.DEAD_OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.OWNER_DIED_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.REFCOUNT_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.USER_MUTEX_OFFSET;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.FutexWord;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcException;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.PayloadLock;
import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.ShmType;
import io.ipcarc.TornValueException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import io.ipcarc.posix.lock.Futex;
import io.ipcarc.posix.lock.LockCarrier;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.MutexWait;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.segment.Seqlock;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.segment.OpenSegment;
import io.ipcarc.posix.segment.Retention;
import io.ipcarc.posix.segment.SegmentBacked;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.segment.SegmentOpener;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.ProcessIds;
import io.ipcarc.posix.sys.RawMemory;

/** {@link IpcArc} over a POSIX shared-memory segment and its robust process-shared mutex. */
final class PosixIpcArc<T> implements IpcArc<T>, SegmentBacked {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final Cleaner LEAKS = Cleaner.create();
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    /** How many lock-free attempts {@link #read()} makes before it yields (crash-atomic) or takes the lock (raw). */
    static final int OPTIMISTIC_READS = 128;

    private static final int BLOCKING = 0;
    private static final int TRY = 1;
    private static final int TIMED = 2;
    private static final int INTERRUPTIBLE = 3;

    private final SegmentHandle handle;
    private final MappedMemory memory;
    /** Which thread holds the lock through this handle; cleared by the guard. */
    final MappedMemory.Hold hold;
    private final ShmType<T> type;
    private final long mutex;
    private final boolean crashAtomic;
    private final Cleaner.Cleanable leak;

    @SuppressWarnings("unchecked")
    PosixIpcArc(OpenSegment segment) {
        this.handle = new SegmentHandle(segment);
        this.memory = handle.memory();
        this.hold = memory.hold;
        this.type = (ShmType<T>) segment.type();
        this.mutex = handle.header.addressOf(USER_MUTEX_OFFSET);
        this.crashAtomic = handle.payload.crashAtomic;
        SegmentHandle h = handle;
        this.leak = LEAKS.register(this, h::closeLeaked);
    }

    @Override
    public String name() {
        return handle.name();
    }

    @Override
    public SegmentHandle segmentHandle() {
        return handle;
    }

    @Override
    public ShmType<T> type() {
        return type;
    }

    @Override
    public boolean created() {
        return handle.segment.created();
    }

    @Override
    public ArcOptions.PayloadMode payloadMode() {
        return crashAtomic ? ArcOptions.PayloadMode.CRASH_ATOMIC : ArcOptions.PayloadMode.RAW;
    }

    @Override
    public long refCount() {
        try {
            checkOpen();
            return handle.header.getLongAcquire(REFCOUNT_OFFSET);
        } catch (InternalError e) {
            throw memory.fault(e);
        }
    }

    @Override
    public Guard<T> acquire() {
        PosixGuard<T> g = takeUncontended(true);
        return g != null ? g : takeUninterruptibly(BLOCKING, 0, null, true);
    }

    @Override
    public Guard<T> acquireInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring: name=" + name());
        }
        PosixGuard<T> g = takeUncontended(true);
        return g != null ? g : takeCounted(INTERRUPTIBLE, Long.MAX_VALUE / 2, null, true);
    }

    @Override
    public Optional<Guard<T>> tryAcquire() {
        PosixGuard<T> g = takeUncontended(true);
        return Optional.ofNullable(g != null ? g : takeUninterruptibly(TRY, 0, null, true));
    }

    @Override
    public Guard<T> acquire(Duration timeout) {
        long nanos = nanos(timeout);
        PosixGuard<T> g = takeUncontended(true);
        return g != null ? g : takeUninterruptibly(TIMED, nanos, timeout, true);
    }

    /** {@link #takeCounted} for the modes that cannot be interrupted. */
    private PosixGuard<T> takeUninterruptibly(int mode, long nanos, Duration timeout, boolean acknowledges) {
        try {
            return takeCounted(mode, nanos, timeout, acknowledges);
        } catch (InterruptedException e) {
            throw new AssertionError("only INTERRUPTIBLE waits are interrupted", e);
        }
    }

    /**
     * The uncontended case of every acquisition: one trylock between two closed checks, with no
     * atomic operation of the library's own. A close racing with it leaves the mapping in place
     * ({@link MappedMemory}), and the check after the trylock then gives the lock back and
     * refuses. Kept small, with its rare cases in other methods, so that the JIT inlines it (and
     * the acquire that calls it) into the caller.
     *
     * @param acknowledges whether the guard's normal close ends an owner-died state
     * @return the guard; {@code null} if this thread is virtual, or the mutex is busy or held by
     *     this thread already (a relock), for {@link #takeCounted} to handle
     */
    private PosixGuard<T> takeUncontended(boolean acknowledges) {
        if (IS_VIRTUAL != null && isVirtual()) {
            return null;
        }
        try {
            // Inside the try: the first time this branch is taken, compiled code leaves through the
            // VM's runtime, where HotSpot may deliver a fault this thread made earlier.
            if (!memory.alive()) {
                throw memory.closedError();
            }
            if (!MutexIntegrity.kindIntact(handle.words, USER_MUTEX_OFFSET)) {
                throw MutexIntegrity.kindDamaged(handle.words, USER_MUTEX_OFFSET, name(), "user");
            }
            // EDEADLK: this thread holds the mutex already (a relock, refused by takeCounted), or
            // a thread of another PID namespace with this thread's id does.
            int rc = ProcessMutex.tryLock(mutex);
            if (rc != 0) {
                return rc == Linux.EBUSY || rc == Linux.EDEADLK ? null : lockedAfterError(rc, acknowledges);
            }
            if (!memory.alive()) {
                throw closedWhileLocking();
            }
            return held(acknowledges, null);
        } catch (InternalError e) {
            // HotSpot turns a SIGBUS on mapped memory into this error: the object was truncated.
            throw memory.fault(e);
        }
    }

    /** A close raced with the uncontended trylock: gives the lock back, as if closed before. */
    private RuntimeException closedWhileLocking() {
        ProcessMutex.unlock(mutex);
        return memory.closedError();
    }

    /**
     * The uncontended trylock returned neither 0 nor busy: EOWNERDEAD (this thread holds the
     * mutex; recovered and recorded) or an error (thrown).
     */
    private PosixGuard<T> lockedAfterError(int rc, boolean acknowledges) {
        int r = recover(rc);
        if (r == 0 && !memory.alive()) {
            throw closedWhileLocking();
        }
        return locked(r, null, acknowledges, null);
    }

    /**
     * Takes the user mutex one of four ways, after {@link #takeUncontended} did not: counted as a
     * user of the handle while the thread waits, so that close() refuses meanwhile. Once the lock
     * is held, {@link MappedMemory#hold} says so instead, as for the uncontended case.
     *
     * @param mode {@link #BLOCKING} (pthread_mutex_lock), {@link #TRY} (trylock), {@link #TIMED}
     *     or {@link #INTERRUPTIBLE} (trylock, then clocklock slices)
     * @param nanos the longest wait for TIMED and INTERRUPTIBLE
     * @param timeout reported in a LockTimeoutException
     * @param acknowledges whether the guard's normal close ends an owner-died state
     * @return the guard, or null if TRY found the mutex busy
     */
    private PosixGuard<T> takeCounted(int mode, long nanos, Duration timeout, boolean acknowledges)
            throws InterruptedException {
        enter();
        try {
            checkOpen(); // a truncated segment is refused before its mutex is touched
            MutexIntegrity.checkKind(handle.words, USER_MUTEX_OFFSET, name(), "user");
            if (IS_VIRTUAL != null && isVirtual()) {
                return takeForVirtualThread(mode, nanos, timeout, acknowledges);
            }
            // Never a relock from here on: this thread does not hold the mutex (enter() checked).
            int rc = ProcessMutex.tryLock(mutex);
            if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
                if (mode == TRY) {
                    return null;
                }
                long deadline = System.nanoTime() + (mode == BLOCKING ? Long.MAX_VALUE / 4 : nanos);
                rc = MutexWait.lockUntil(handle.words, memory.address(), USER_MUTEX_OFFSET, deadline,
                        mode == INTERRUPTIBLE ? Thread::interrupted : MutexWait.NEVER, this::checkBeforeTouching);
            }
            if (rc == -1) {
                throw new InterruptedException("interrupted while acquiring: name=" + name());
            }
            return locked(recover(rc), timeout, acknowledges, null);
        } catch (InternalError e) {
            throw memory.fault(e);
        } finally {
            // A guard, if any, is now recorded in hold (set before this decrement, so close() sees one of the two).
            memory.exit();
        }
    }

    /**
     * What a wait checks before it touches the user mutex again (after a sleep, before a trylock):
     * the handle is usable, the object still has its size ({@code fstat}: a truncated page would
     * be a SIGBUS inside glibc), and the kind word glibc trusts is intact.
     */
    private void checkBeforeTouching() {
        checkOpen();
        handle.attachment.checkSize();
        MutexIntegrity.checkKind(handle.words, USER_MUTEX_OFFSET, name(), "user");
    }

    /** @return the address of the user mutex in this handle's mapping */
    long mutexAddress() {
        return mutex;
    }

    /**
     * Refuses a relock, and counts the thread as a user of the handle.
     */
    private void enter() {
        if (handle.attachment.lockOwner == Thread.currentThread().getId()) {
            throw new IllegalStateException("lock already held by this thread: name=" + name()
                    + " (close the guard you hold first)");
        }
        memory.enter();
    }

    /**
     * A virtual thread's acquisition: the handle's {@link LockCarrier} locks on its behalf while
     * it parks, so no carrier thread is pinned and the mutex stays owned by one OS thread.
     *
     * @return the guard, or null if TRY found the mutex busy
     */
    private PosixGuard<T> takeForVirtualThread(int mode, long nanos, Duration timeout, boolean acknowledges)
            throws InterruptedException {
        LockCarrier carrier = handle.carrier();
        long deadline = System.nanoTime() + (mode == BLOCKING ? Long.MAX_VALUE / 4 : mode == TRY ? 0 : nanos);
        LockCarrier.Request r = carrier.submit(mode == TRY, stop -> {
            checkBeforeTouching();
            int rc = ProcessMutex.tryLock(mutex);
            if ((rc == Linux.EBUSY || rc == Linux.EDEADLK) && mode != TRY) {
                rc = MutexWait.lockUntil(handle.words, memory.address(), USER_MUTEX_OFFSET, deadline, stop,
                        this::checkBeforeTouching);
            }
            // The owner must make the mutex consistent (glibc records the caller as owner).
            return rc == Linux.EOWNERDEAD ? recoverQuietly(rc) : rc;
        }, () -> memory.mutexPageGone() ? 0 : ProcessMutex.unlock(mutex)); // a vanished page's node stays (MappedMemory)
        // TRY waits only for its turn at the carrier, whose trylock answers at once.
        int rc = r.await(mode == TRY ? System.nanoTime() + Long.MAX_VALUE / 4 : deadline, mode == INTERRUPTIBLE);
        if (r.failure() != null) {
            throw r.failure(); // the carrier found the segment damaged or truncated
        }
        if (rc == -1) {
            if (mode == INTERRUPTIBLE && Thread.interrupted()) {
                throw new InterruptedException("interrupted while acquiring: name=" + name());
            }
            rc = Linux.ETIMEDOUT;
        }
        if (rc == Linux.EBUSY || rc == Linux.EDEADLK) {
            return null;
        }
        if (rc == CONSISTENT_FAILED) {
            throw new CorruptSegmentException("pthread_mutex_consistent failed: name=" + name(), name());
        }
        return locked(rc, timeout, acknowledges, r);
    }

    /** What {@link #recoverQuietly} returns when the mutex could not be made consistent (then released). */
    private static final int CONSISTENT_FAILED = -1000;

    /**
     * After EOWNERDEAD: record the death in the segment, then make the mutex consistent. Runs on
     * the thread that owns the mutex.
     *
     * @return 0, or {@link #CONSISTENT_FAILED} after unlocking
     */
    private int recoverQuietly(int rc) {
        MemoryView h = handle.header;
        int previous = h.getInt(OWNER_PID_OFFSET);
        // Recorded before the mutex is made consistent: whoever recovers it, every later
        // guard reports ownerDied() until one that saw it closes normally.
        h.putInt(DEAD_OWNER_PID_OFFSET, previous);
        h.putIntVolatile(OWNER_DIED_OFFSET, 1);
        int crc = ProcessMutex.consistent(mutex);
        if (crc != 0) {
            ProcessMutex.unlock(mutex);
            return CONSISTENT_FAILED;
        }
        LOG.log(System.Logger.Level.INFO, "lock recovered from a dead owner: name={0}, deadOwnerPid={1}, pid={2}",
                name(), String.valueOf(previous), String.valueOf(ProcessIds.SELF_PID));
        return 0;
    }

    /** @return {@code rc}, with an owner death recovered and recorded */
    private int recover(int rc) {
        if (rc != Linux.EOWNERDEAD) {
            return rc;
        }
        if (recoverQuietly(rc) == CONSISTENT_FAILED) {
            throw new CorruptSegmentException("pthread_mutex_consistent failed: name=" + name(), name());
        }
        return 0;
    }

    /**
     * @param rc what locking returned, after {@link #recover}: 0, or an error to throw
     * @return the guard of the lock this thread (or the carrier, for {@code grant}) now holds
     */
    private PosixGuard<T> locked(int rc, Duration timeout, boolean acknowledges, LockCarrier.Request grant) {
        switch (rc) {
            case 0:
                return held(acknowledges, grant);
            case Linux.ETIMEDOUT:
                throw new LockTimeoutException("lock not acquired in time: name=" + name() + ", timeout=" + timeout
                        + ", ownerPid=" + handle.words.getInt(OWNER_PID_OFFSET), name(), timeout);
            case Linux.ENOTRECOVERABLE:
                throw new CorruptSegmentException("mutex is not recoverable: errno=ENOTRECOVERABLE, name=" + name(), name());
            default:
                throw new IpcArcException("pthread_mutex_lock failed: errno=" + Linux.errnoName(rc) + ", name=" + name(),
                        name(), rc, Linux.errnoName(rc), null);
        }
    }

    /**
     * Records the lock as held by this thread through this handle, and makes its guard.
     *
     * @param grant the carrier's grant for a virtual thread, else {@code null}
     */
    private PosixGuard<T> held(boolean acknowledges, LockCarrier.Request grant) {
        RawMemory h = handle.words; // fixed offsets in the header; a closed mapping stays mapped (MappedMemory)
        long me = Thread.currentThread().getId();
        long prev = h.getLong(USER_MUTEX_OFFSET + MutexIntegrity.LIST_PREV);
        long next = h.getLong(USER_MUTEX_OFFSET + MutexIntegrity.LIST_NEXT);
        handle.attachment.lockOwner = me;
        hold.held(me, prev, next);
        h.putInt(OWNER_PID_OFFSET, ProcessIds.SELF_PID);
        long word = handle.seqlock.current();
        // Raw and odd: a writer died mid-update; the guard makes the word even when it closes normally.
        long torn = !crashAtomic && (word & 1) != 0 ? word : 0;
        boolean ownerDied = h.getInt(OWNER_DIED_OFFSET) != 0 || torn != 0;
        return new PosixGuard<>(this, handle, ownerDied, acknowledges, word, torn,
                h.getInt(USER_MUTEX_OFFSET + MutexIntegrity.OWNER_WORD), prev, next, grant);
    }

    /**
     * Lock-free. Crash-atomic: copies the committed copy between two loads of the commit word,
     * retried only while guards publish meanwhile; never takes the lock. Raw: the seqlock; after
     * {@link #OPTIMISTIC_READS} failed attempts (a writer that keeps the lock, or one that died
     * mid-update and left the word odd) it reads under the lock, and a dead writer's
     * half-written value is refused with {@link TornValueException}.
     */
    @Override
    public T read() {
        try {
            return readOptimistically();
        } catch (InternalError e) {
            // HotSpot turns a SIGBUS on mapped memory into this error: the object was truncated.
            throw memory.fault(e);
        }
    }

    private T readOptimistically() {
        // The loads below are unscoped (see MemoryView.unscoped): closed is checked here, and again
        // after each copy validated (copyIfUntouched).
        checkOpen();
        Seqlock seq = handle.seqlock;
        if (crashAtomic) {
            for (int i = 0; ; i++) {
                long stamp = seq.readBegin();
                T value = copyIfUntouched(seq, stamp, handle.payload.committedForRead(stamp), true);
                if (value != null) {
                    return value;
                }
                if (i < OPTIMISTIC_READS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
        for (int i = 0; i < OPTIMISTIC_READS; i++) {
            long stamp = seq.readBegin();
            if ((stamp & 1) == 0) {
                T value = copyIfUntouched(seq, stamp, handle.payload.committedForRead(stamp), false);
                if (value != null) {
                    return value;
                }
            }
            Thread.onSpinWait();
        }
        return readLocked();
    }

    /**
     * One optimistic copy (kept small so that the JIT inlines read() into its callers).
     *
     * @return the value, or null if a writer touched the copy meanwhile (decoders never return null)
     */
    private T copyIfUntouched(Seqlock seq, long stamp, MemoryView copy, boolean committed) {
        T value;
        try {
            value = type.read(copy, 0);
        } catch (RuntimeException e) {
            // A torn copy may make a record constructor throw: only a consistent one counts.
            if (committed ? seq.validateCommitted(stamp) : seq.validate(stamp)) {
                throw SegmentOpener.decodeFailed(name(), e);
            }
            return null;
        }
        if (!(committed ? seq.validateCommitted(stamp) : seq.validate(stamp))) {
            return null;
        }
        // Never return a copy made while a close raced with it (the handle refuses every use after close).
        checkOpen();
        return value;
    }

    /** The raw read's fallback: under the lock, which also recovers and records a dead owner. */
    private T readLocked() {
        PosixGuard<T> g = takeUninterruptibly(BLOCKING, 0, null, false);
        boolean torn = g.torn();
        T value;
        try {
            value = torn ? null : g.get();
        } finally {
            g.close();
        }
        if (torn) {
            throw new TornValueException("value half-written by a holder that died: name=" + name() + ", deadOwnerPid="
                    + handle.header.getInt(DEAD_OWNER_PID_OFFSET) + " (repair it under acquire(), whose guard reports"
                    + " ownerDied(); reads succeed again once that guard closes)", name());
        }
        return value;
    }

    @Override
    public long version() {
        try {
            checkOpen();
            return handle.changes.version();
        } catch (InternalError e) {
            throw memory.fault(e);
        }
    }

    @Override
    public long awaitChange(long version) throws InterruptedException {
        return awaitChangeNanos(version, Long.MAX_VALUE / 4); // deadline arithmetic cannot overflow
    }

    @Override
    public long awaitChange(long version, Duration timeout) throws InterruptedException {
        return awaitChangeNanos(version, nanos(timeout));
    }

    /** @return the timeout in nanoseconds, at most a year; refuses a negative one */
    private long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout + ", name=" + name());
        }
        return timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
    }

    /** @return how many times releases through this handle woke waiters (a system call each) */
    long wakeups() {
        return handle.changes.wakeups();
    }

    /** Counted as a user of the handle while it waits, so that close() refuses meanwhile. */
    private long awaitChangeNanos(long version, long nanos) throws InterruptedException {
        if ((version & 1) != 0) {
            throw new IllegalArgumentException("not a version (versions are even): version=" + version + ", name=" + name());
        }
        if (handle.attachment.lockOwner == Thread.currentThread().getId()) {
            throw new IllegalStateException("awaitChange while this thread holds the lock: name=" + name()
                    + " (no other thread could make the change; close the guard first)");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before awaiting a change: name=" + name());
        }
        memory.enter();
        try {
            if (IS_VIRTUAL != null && isVirtual()) {
                return handle.watcher().await(version, nanos, name());
            }
            return handle.changes.await(version, nanos);
        } catch (InternalError e) {
            throw memory.fault(e);
        } finally {
            memory.exit();
        }
    }

    @Override
    public SharedBuffer buffer() {
        try {
            checkOpen();
        } catch (InternalError e) {
            throw memory.fault(e);
        }
        checkRaw("buffer()");
        return handle.payload.first;
    }

    @Override
    public FutexWord futexWord(int offset) {
        try {
            checkOpen();
        } catch (InternalError e) {
            throw memory.fault(e);
        }
        checkRaw("futexWord()");
        MemoryView payload = handle.payload.first;
        payload.wordAddress(offset); // bounds and alignment, checked once here
        return new FutexWord() {
            @Override
            public boolean await(int expected, long timeoutNanos) {
                // Sleeps in the kernel, where a vanished page is EFAULT; the size is checked before
                // the caller touches the segment again.
                int r = Futex.await(payload.wordAddress(offset), expected, timeoutNanos);
                handle.attachment.checkSize();
                return r != Linux.ETIMEDOUT;
            }

            @Override
            public int wakeAll() {
                return Futex.wakeAll(payload.wordAddress(offset));
            }
        };
    }

    @Override
    public PayloadLock payloadLock(int offset) {
        try {
            checkOpen();
        } catch (InternalError e) {
            throw memory.fault(e);
        }
        checkRaw("payloadLock()");
        int size = handle.payload.first.capacity();
        if (offset < 0 || offset % PayloadLock.SLOT_BYTES != 0 || offset > size - PayloadLock.SLOT_BYTES) {
            throw new IllegalArgumentException("payload lock slot out of range or misaligned: name=" + name() + ", offset=" + offset
                    + ", payloadSize=" + size + " (slots are " + PayloadLock.SLOT_BYTES + " bytes at multiples of "
                    + PayloadLock.SLOT_BYTES + ")");
        }
        return new PosixPayloadLock(handle, offset, handle.segment.header().copyOffset(0) + offset);
    }

    @Override
    public void checkSize() {
        try {
            checkOpen();
        } catch (InternalError e) {
            throw memory.fault(e);
        }
        handle.attachment.checkSize();
    }

    private void checkRaw(String what) {
        if (crashAtomic) {
            throw new IllegalStateException(what + " needs a raw payload, and this one is crash-atomic (two copies): name="
                    + name() + " (create it with ArcOptions.defaults().withPayloadMode(PayloadMode.RAW), or use a guard)");
        }
    }

    @Override
    public long holderId() {
        try {
            checkOpen();
        } catch (InternalError e) {
            throw memory.fault(e);
        }
        return handle.attachment.holderId();
    }

    @Override
    public boolean isHolderAlive(long holderId) {
        try {
            checkOpen();
            return holderId != 0 && handle.admin.isHolderAlive(holderId);
        } catch (InternalError e) {
            throw memory.fault(e);
        }
    }

    @Override
    public void retainOnLastClose(Predicate<SharedView> condition) {
        Retention keep = new Retention(Objects.requireNonNull(condition, "condition"));
        checkOpen();
        handle.retention = keep;
    }

    @Override
    public boolean isOpen() {
        return !memory.isClosed();
    }

    private void checkOpen() {
        if (!memory.alive()) {
            throw memory.closedError();
        }
    }

    @Override
    public void close() {
        handle.close();
        leak.clean();
    }

    @Override
    public String toString() {
        return "IpcArc[" + name() + ", " + type.descriptor() + (isOpen() ? "" : ", closed") + "]";
    }

    private static boolean isVirtual() {
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
