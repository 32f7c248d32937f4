package io.ipcarc.posix.lock;

import io.ipcarc.IpcArcException;
import java.lang.ref.Reference;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.PendingFaults;
import io.ipcarc.posix.memory.Scratch;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.NativeOps;

/**
 * The calls the library makes on a robust, process-shared, error-checking pthread mutex at a raw
 * address: none of them sleeps ({@link MutexWait} waits). Returns the pthread error codes;
 * callers decide what each means.
 *
 * <p>Each call that hands a mutex to glibc first calls {@link PendingFaults#surface()}: a load
 * the caller made from the mutex's page after another process truncated it (the kind check, the
 * owner words) raises its fault there, as {@link InternalError} in the caller's {@code catch},
 * instead of glibc touching the vanished page in native code, where the SIGBUS kills the JVM.
 *
 * <p>Callers never lock a mutex their thread already holds (they check that first), so an
 * EDEADLK from glibc here is never a relock: it is a thread of another PID namespace whose
 * thread id equals this thread's (glibc compares ids, which collide across namespaces) holding
 * the mutex, which the callers treat as contention.
 */
public final class ProcessMutex {

    private ProcessMutex() {
    }

    /**
     * Initialises a mutex that no other process can see yet.
     *
     * @param address where the mutex lives
     * @param name the segment, for messages
     */
    public static void init(long address, String name) {
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
     * Takes the mutex if it is free; never sleeps.
     *
     * @param address the mutex
     * @return 0, EBUSY, EDEADLK (held by this thread, or a PID-namespace twin), EOWNERDEAD or another error
     * @throws InternalError a fault this thread made before (a truncation): the mutex was not touched
     */
    public static int tryLock(long address) {
        PendingFaults.surface();
        return Binding.C.pthread_mutex_trylock(address);
    }

    /**
     * Releases the mutex; never sleeps (at most one FUTEX_WAKE).
     *
     * @param address the mutex
     * @return 0, or EPERM if this thread does not hold it
     * @throws InternalError a fault this thread made before (a truncation): the mutex was not touched
     */
    public static int unlock(long address) {
        PendingFaults.surface();
        return Binding.C.pthread_mutex_unlock(address);
    }

    /**
     * Unlocks a mutex of {@code memory} even when HotSpot delivers, inside this call, a fault this
     * thread made earlier (a truncation, docs/design.md): the mutex is never left locked by it.
     * Then the truncation is recorded, and the unlock is made again unless its page is gone
     * (glibc answers EPERM to a second unlock of an error-checking mutex: harmless).
     *
     * @param address the mutex
     * @param memory the mapping it lies in
     * @return what the unlock returned (0 when its page is gone)
     */
    public static int unlockSurely(long address, MappedMemory memory) {
        try {
            return unlock(address);
        } catch (InternalError e) {
            memory.fault(e);
            return memory.mutexPageGone() ? 0 : unlock(address);
        }
    }

    /**
     * Marks a mutex recovered from a dead owner (after EOWNERDEAD) as consistent.
     *
     * @param address the mutex, held by this thread
     * @return 0 or an error
     */
    public static int consistent(long address) {
        PendingFaults.surface();
        return Binding.C.pthread_mutex_consistent(address);
    }
}
