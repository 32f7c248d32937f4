package io.ipcarc.posix;

import io.ipcarc.IpcArcException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Calls on a robust, process-shared, error-checking pthread mutex at a raw address. Returns
 * the pthread error codes; callers decide what each means.
 */
final class ProcessMutex {
    private static final long SLICE_NANOS = 20_000_000L;
    private static final ThreadLocal<Pointer> TIMESPEC = ThreadLocal.withInitial(() -> Memory.allocateDirect(Native.RUNTIME, 16));

    private ProcessMutex() {
    }

    /**
     * Initialises a mutex that no other process can see yet.
     *
     * @param address where the mutex lives
     * @param name the segment, for messages
     */
    static void init(long address, String name) {
        Pointer attr = Memory.allocateDirect(Native.RUNTIME, 64);
        long a = attr.address();
        check(Native.LIBC.pthread_mutexattr_init(a), "pthread_mutexattr_init", name);
        try {
            check(Native.LIBC.pthread_mutexattr_settype(a, Native.PTHREAD_MUTEX_ERRORCHECK), "pthread_mutexattr_settype", name);
            check(Native.LIBC.pthread_mutexattr_setpshared(a, Native.PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared", name);
            check(Native.LIBC.pthread_mutexattr_setrobust(a, Native.PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust", name);
            check(Native.LIBC.pthread_mutex_init(address, a), "pthread_mutex_init", name);
        } finally {
            Native.LIBC.pthread_mutexattr_destroy(a);
        }
    }

    private static void check(int rc, String call, String name) {
        if (rc != 0) {
            throw new IpcArcException(call + " failed: errno=" + Native.errnoName(rc) + ", name=" + name, name, rc,
                    Native.errnoName(rc), null);
        }
    }

    static int lock(long address) {
        return Native.LIBC.pthread_mutex_lock(address);
    }

    static int tryLock(long address) {
        return Native.LIBC.pthread_mutex_trylock(address);
    }

    static int unlock(long address) {
        return Native.LIBC.pthread_mutex_unlock(address);
    }

    static int consistent(long address) {
        return Native.LIBC.pthread_mutex_consistent(address);
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
        Pointer ts = TIMESPEC.get();
        long tsAddr = ts.address();
        while (true) {
            if (interruptible && Thread.interrupted()) {
                return -1;
            }
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0) {
                int rc = tryLock(address);
                return rc == Native.EBUSY ? Native.ETIMEDOUT : rc;
            }
            long until = now + Math.min(remaining, SLICE_NANOS);
            ts.putLong(0, until / 1_000_000_000L);
            ts.putLong(8, until % 1_000_000_000L);
            int rc = Native.LIBC.pthread_mutex_clocklock(address, Native.CLOCK_MONOTONIC, tsAddr);
            if (rc != Native.ETIMEDOUT && rc != Native.EINTR) {
                return rc;
            }
        }
    }
}
