package io.ipcarc.bench;

import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.intptr_t;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Diagnostic baseline: the same robust, process-shared, error-checking mutex locked and
 * unlocked from Java through jnr-ffi, bound exactly as ipcarc-posix binds it, without any of
 * IpcArc's bookkeeping. The gap to the C pair is the cost of the two foreign calls; the gap to
 * {@code acquire()+close()} is IpcArc's own work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JnrMutexBenchmarks {
    /** Creates the benchmark state; JMH calls it once per fork. */
    public JnrMutexBenchmarks() {
    }

    /** The pthread calls, bound like {@code io.ipcarc.posix.sys.jnr.LibC} (error codes returned, errno not saved). */
    public interface Pthread {
        /**
         * Returns 0 or an error code.
         *
         * @param attr attribute block
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutexattr_init(@intptr_t long attr);

        /**
         * Returns 0 or an error code.
         *
         * @param attr attribute block
         * @param type mutex type
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutexattr_settype(@intptr_t long attr, int type);

        /**
         * Returns 0 or an error code.
         *
         * @param attr attribute block
         * @param pshared sharing
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutexattr_setpshared(@intptr_t long attr, int pshared);

        /**
         * Returns 0 or an error code.
         *
         * @param attr attribute block
         * @param robust robustness
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutexattr_setrobust(@intptr_t long attr, int robust);

        /**
         * Returns 0 or an error code.
         *
         * @param mutex the mutex
         * @param attr attribute block
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutex_init(@intptr_t long mutex, @intptr_t long attr);

        /**
         * Returns 0 or an error code.
         *
         * @param mutex the mutex
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutex_lock(@intptr_t long mutex);

        /**
         * Returns 0, EBUSY or another error code.
         *
         * @param mutex the mutex
         * @return 0, EBUSY or another error code
         */
        @IgnoreError int pthread_mutex_trylock(@intptr_t long mutex);

        /**
         * Returns 0 or an error code.
         *
         * @param mutex the mutex
         * @return 0 or an error code
         */
        @IgnoreError int pthread_mutex_unlock(@intptr_t long mutex);
    }

    private Pthread lib;
    private Pointer memory;
    private long mutex;

    /** Initialises a mutex with IpcArc's attributes in native memory. */
    @Setup
    public void setUp() {
        lib = LibraryLoader.create(Pthread.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        memory = Memory.allocateDirect(Runtime.getRuntime(lib), 128);
        long attr = memory.address() + 64;
        mutex = memory.address();
        check(lib.pthread_mutexattr_init(attr), "pthread_mutexattr_init");
        check(lib.pthread_mutexattr_settype(attr, 2), "pthread_mutexattr_settype");
        check(lib.pthread_mutexattr_setpshared(attr, 1), "pthread_mutexattr_setpshared");
        check(lib.pthread_mutexattr_setrobust(attr, 1), "pthread_mutexattr_setrobust");
        check(lib.pthread_mutex_init(mutex, attr), "pthread_mutex_init");
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: rc=" + rc);
        }
    }

    /**
     * Returns the unlock's return code (0).
     *
     * @return the unlock's return code (0)
     */
    @Benchmark
    public int jnrLockUnlock() {
        lib.pthread_mutex_lock(mutex);
        return lib.pthread_mutex_unlock(mutex);
    }
}
