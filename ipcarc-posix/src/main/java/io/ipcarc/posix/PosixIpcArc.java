package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.DEAD_OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.REFCOUNT_OFFSET;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcStatistics;
import io.ipcarc.FutexWord;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.PayloadLock;
import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.ShmType;
import io.ipcarc.TornValueException;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import io.ipcarc.posix.lock.Futex;
import io.ipcarc.posix.segment.Seqlock;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.segment.OpenSegment;
import io.ipcarc.posix.segment.Retention;
import io.ipcarc.posix.segment.SegmentBacked;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.segment.SegmentOpener;
import io.ipcarc.posix.segment.SegmentStats;
import io.ipcarc.posix.sys.Linux;

/** {@link IpcArc} over a POSIX shared-memory segment and its robust process-shared mutex. */
final class PosixIpcArc<T> implements IpcArc<T>, SegmentBacked {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final Cleaner LEAKS = Cleaner.create();
    /** How many lock-free attempts {@link #read()} makes before it yields (crash-atomic) or takes the lock (raw). */
    static final int OPTIMISTIC_READS = 128;

    private final SegmentHandle handle;
    private final MappedMemory memory;
    /** Which thread holds the lock through this handle; cleared by the guard. */
    final MappedMemory.Hold hold;
    private final ShmType<T> type;
    private final boolean crashAtomic;
    /** The user mutex: how this handle takes it. */
    private final UserLock<T> lock;
    private final Cleaner.Cleanable leak;

    @SuppressWarnings("unchecked")
    PosixIpcArc(OpenSegment segment) {
        this.handle = new SegmentHandle(segment);
        this.memory = handle.memory();
        this.hold = memory.hold;
        this.type = (ShmType<T>) segment.type();
        this.crashAtomic = handle.payload.crashAtomic;
        this.lock = new UserLock<>(this, handle);
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
    public ArcStatistics statistics() {
        try {
            checkOpen();
            SegmentStats s = handle.attachment.stats;
            return new ArcStatistics(handle.header.getLongAcquire(REFCOUNT_OFFSET), handle.admin.liveHolders(),
                    handle.changes.waiters(), s.lockWaits(), s.lockWaitNanos(), s.payloadLockWaits(), s.payloadLockWaitNanos(),
                    s.ownerDeaths(), s.holdersReaped());
        } catch (InternalError e) {
            throw memory.fault(e);
        }
    }

    @Override
    public Guard<T> acquire() {
        PosixGuard<T> g = lock.takeUncontended(true);
        return g != null ? g : lock.takeUninterruptibly(UserLock.Mode.BLOCKING, 0, null, true);
    }

    @Override
    public Guard<T> acquireInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring: name=" + name());
        }
        PosixGuard<T> g = lock.takeUncontended(true);
        return g != null ? g : lock.takeCounted(UserLock.Mode.INTERRUPTIBLE, Long.MAX_VALUE / 2, null, true);
    }

    @Override
    public Optional<Guard<T>> tryAcquire() {
        PosixGuard<T> g = lock.takeUncontended(true);
        return Optional.ofNullable(g != null ? g : lock.takeUninterruptibly(UserLock.Mode.TRY, 0, null, true));
    }

    @Override
    public Guard<T> acquire(Duration timeout) {
        long nanos = nanos(timeout);
        PosixGuard<T> g = lock.takeUncontended(true);
        return g != null ? g : lock.takeUninterruptibly(UserLock.Mode.TIMED, nanos, timeout, true);
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
        PosixGuard<T> g = lock.takeUninterruptibly(UserLock.Mode.BLOCKING, 0, null, false);
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
    long nanos(Duration timeout) {
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
            if (Threads.isVirtual()) {
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

    void checkOpen() {
        if (!memory.alive()) {
            throw memory.closedError();
        }
    }

    @Override
    public void close() {
        handle.close();
        leak.clean();
    }

    /** @return the address of the user mutex in this handle's mapping */
    long mutexAddress() {
        return lock.mutexAddress();
    }

    @Override
    public String toString() {
        return "IpcArc[" + name() + ", " + type.descriptor() + (isOpen() ? "" : ", closed") + "]";
    }
}
