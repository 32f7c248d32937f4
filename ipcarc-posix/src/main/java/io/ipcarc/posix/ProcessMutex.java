package io.ipcarc.posix;

import io.ipcarc.IpcArcException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Calls on a robust, process-shared, error-checking pthread mutex at a raw address. Returns
 * the pthread error codes; callers decide what each means.
 *
 * <p>Callers never lock a mutex their thread already holds (they check that first), so an
 * EDEADLK from glibc here is never a relock: it is a thread of another PID namespace whose
 * thread id equals this thread's (glibc compares ids, which collide across namespaces) holding
 * the mutex. The waits below treat it as contention and retry in short slices.
 */
final class ProcessMutex {
    private static final long SLICE_NANOS = 20_000_000L;
    /** Retry period while a thread of another PID namespace with this thread's id holds the mutex. */
    private static final long COLLISION_RETRY_NANOS = 200_000L;
    /** A wait nothing stops but its deadline. */
    static final BooleanSupplier NEVER = () -> false;
    private static final ThreadLocal<MemoryView> TIMESPEC = ThreadLocal.withInitial(() -> Scratch.of(Linux.TIMESPEC_BYTES));

    private ProcessMutex() {
    }

    /**
     * Initialises a mutex that no other process can see yet.
     *
     * @param address where the mutex lives
     * @param name the segment, for messages
     */
    static void init(long address, String name) {
        NativeOps c = Binding.C;
        MemoryView attr = Scratch.of(Linux.MUTEXATTR_BYTES);
        long a = attr.addressOf(0);
        check(c.pthread_mutexattr_init(a), "pthread_mutexattr_init", name);
        try {
            check(c.pthread_mutexattr_settype(a, Linux.PTHREAD_MUTEX_ERRORCHECK), "pthread_mutexattr_settype", name);
            check(c.pthread_mutexattr_setpshared(a, Linux.PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared", name);
            check(c.pthread_mutexattr_setrobust(a, Linux.PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust", name);
            check(c.pthread_mutex_init(address, a), "pthread_mutex_init", name);
        } finally {
            c.pthread_mutexattr_destroy(a);
        }
    }

    private static void check(int rc, String call, String name) {
        if (rc != 0) {
            throw new IpcArcException(call + " failed: errno=" + Linux.errnoName(rc) + ", name=" + name, name, rc,
                    Linux.errnoName(rc), null);
        }
    }

    /**
     * Waits as long as it takes; not interruptible.
     *
     * @param address the mutex
     * @return 0, EOWNERDEAD or another pthread error (never EDEADLK)
     */
    static int lock(long address) {
        int rc = Binding.C.pthread_mutex_lock(address);
        return rc == Linux.EDEADLK ? lockUntil(address, System.nanoTime() + Long.MAX_VALUE / 4, NEVER) : rc;
    }

    static int tryLock(long address) {
        return Binding.C.pthread_mutex_trylock(address);
    }

    static int unlock(long address) {
        return Binding.C.pthread_mutex_unlock(address);
    }

    static int consistent(long address) {
        return Binding.C.pthread_mutex_consistent(address);
    }

    /**
     * Waits for the mutex until {@code deadline} (a {@link System#nanoTime()} value, which is
     * CLOCK_MONOTONIC on Linux), in short slices so that interrupts are noticed.
     *
     * @param address the mutex
     * @param deadline when to give up
     * @param stop checked between slices: {@link Thread#interrupted} for an interruptible wait
     * @return 0, EOWNERDEAD, ETIMEDOUT, another pthread error (never EDEADLK), or -1 if stopped
     */
    static int lockUntil(long address, long deadline, BooleanSupplier stop) {
        MemoryView ts = TIMESPEC.get();
        long tsAddr = ts.addressOf(0);
        while (true) {
            if (stop.getAsBoolean()) {
                return -1;
            }
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0) {
                int rc = tryLock(address);
                return rc == Linux.EBUSY || rc == Linux.EDEADLK ? Linux.ETIMEDOUT : rc;
            }
            long until = now + Math.min(remaining, SLICE_NANOS);
            ts.putLong(0, until / 1_000_000_000L);
            ts.putLong(8, until % 1_000_000_000L);
            int rc = Binding.C.pthread_mutex_clocklock(address, Linux.CLOCK_MONOTONIC, tsAddr);
            if (rc == Linux.EDEADLK) {
                // Held by a namespace twin of this thread: clocklock cannot wait for it, so poll.
                LockSupport.parkNanos(Math.min(remaining, COLLISION_RETRY_NANOS));
                rc = tryLock(address);
                if (rc == Linux.EDEADLK || rc == Linux.EBUSY) {
                    continue;
                }
            }
            if (rc != Linux.ETIMEDOUT && rc != Linux.EINTR) {
                return rc;
            }
        }
    }
}
