package io.ipcarc.posix;

import io.ipcarc.IpcArcException;
import java.lang.ref.Reference;

/**
 * Calls on a robust, process-shared, error-checking pthread mutex at a raw address. Returns
 * the pthread error codes; callers decide what each means.
 */
final class ProcessMutex {
    private static final long SLICE_NANOS = 20_000_000L;
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
            Reference.reachabilityFence(attr); // scratch memory is freed once unreachable: not before the calls above
        }
    }

    private static void check(int rc, String call, String name) {
        if (rc != 0) {
            throw new IpcArcException(call + " failed: errno=" + Linux.errnoName(rc) + ", name=" + name, name, rc,
                    Linux.errnoName(rc), null);
        }
    }

    /**
     * Locks, waiting as long as it takes: first {@code pthread_mutex_trylock} (a critical
     * downcall on the FFM binding: no thread-state transition), and only if the mutex is busy
     * the blocking {@code pthread_mutex_lock}. For a robust error-checking mutex both report
     * the same outcomes (0, EOWNERDEAD, EDEADLK, ENOTRECOVERABLE) except EBUSY, so the caller
     * cannot tell which call took it.
     *
     * @param address the mutex
     * @return the pthread result of the call that decided
     */
    static int lock(long address) {
        int rc = Binding.C.pthread_mutex_trylock(address);
        return rc == Linux.EBUSY ? Binding.C.pthread_mutex_lock(address) : rc;
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
     * @param interruptible whether to stop when the thread is interrupted
     * @return 0, EOWNERDEAD, ETIMEDOUT, another pthread error, or -1 if interrupted
     */
    static int lockUntil(long address, long deadline, boolean interruptible) {
        MemoryView ts = TIMESPEC.get();
        long tsAddr = ts.addressOf(0);
        while (true) {
            if (interruptible && Thread.interrupted()) {
                return -1;
            }
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0) {
                int rc = tryLock(address);
                return rc == Linux.EBUSY ? Linux.ETIMEDOUT : rc;
            }
            long until = now + Math.min(remaining, SLICE_NANOS);
            ts.putLong(0, until / 1_000_000_000L);
            ts.putLong(8, until % 1_000_000_000L);
            int rc = Binding.C.pthread_mutex_clocklock(address, Linux.CLOCK_MONOTONIC, tsAddr);
            if (rc != Linux.ETIMEDOUT && rc != Linux.EINTR) {
                return rc;
            }
        }
    }
}
