package io.ipcarc.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * {@code pthread_mutex_trylock} and {@code pthread_mutex_unlock} bound the way ipcarc-posix binds
 * them on this JDK: critical {@code java.lang.foreign} downcalls on JDK 22 and later, jnr-ffi
 * ({@code @IgnoreError}, {@code @intptr_t long}) before. Both are {@code (long)int} method handles
 * in {@code static final} fields, so the JIT inlines them like calls written in source.
 */
final class MutexCalls {
    /** Whether the FFM binding is used (JDK 22+), as ipcarc-posix chooses by default. */
    static final boolean FFM = java.lang.Runtime.version().feature() >= 22;
    /** {@code int pthread_mutex_trylock(long)}. */
    static final MethodHandle TRYLOCK;
    /** {@code int pthread_mutex_unlock(long)}. */
    static final MethodHandle UNLOCK;
    private static final JnrMutexBenchmarks.Pthread JNR;
    private static final java.util.List<Object> KEEP = new java.util.ArrayList<>();

    static {
        if (FFM) {
            JNR = null;
            TRYLOCK = FfmMutexBenchmarks.Downcalls.handle("pthread_mutex_trylock", true, int.class, long.class);
            UNLOCK = FfmMutexBenchmarks.Downcalls.handle("pthread_mutex_unlock", true, int.class, long.class);
        } else {
            JNR = LibraryLoader.create(JnrMutexBenchmarks.Pthread.class).load(Platform.getNativePlatform().getStandardCLibraryName());
            TRYLOCK = jnr("pthread_mutex_trylock");
            UNLOCK = jnr("pthread_mutex_unlock");
        }
    }

    private MutexCalls() {
    }

    private static MethodHandle jnr(String name) {
        try {
            return MethodHandles.publicLookup().findVirtual(JnrMutexBenchmarks.Pthread.class, name,
                    MethodType.methodType(int.class, long.class)).bindTo(JNR);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot bind " + name + ": " + e, e);
        }
    }

    /**
     * Returns the binding's name for reports: {@code ffm} or {@code jnr}.
     *
     * @return the binding's name for reports: {@code ffm} or {@code jnr}
     */
    static String binding() {
        return FFM ? "ffm" : "jnr";
    }

    /**
     * A robust, process-shared, error-checking mutex (IpcArc's attributes) in native memory that
     * is never freed (one per benchmark fork).
     *
     * @return its address
     */
    static long newMutex() {
        if (FFM) {
            return FfmMutexBenchmarks.initialisedMutex();
        }
        JnrMutexBenchmarks.Pthread lib = JNR;
        jnr.ffi.Pointer block = Memory.allocateDirect(Runtime.getRuntime(lib), 128);
        KEEP.add(block); // freed by the GC once unreachable: never, here
        long memory = block.address();
        long attr = memory + 64;
        check(lib.pthread_mutexattr_init(attr), "pthread_mutexattr_init");
        check(lib.pthread_mutexattr_settype(attr, 2), "pthread_mutexattr_settype");
        check(lib.pthread_mutexattr_setpshared(attr, 1), "pthread_mutexattr_setpshared");
        check(lib.pthread_mutexattr_setrobust(attr, 1), "pthread_mutexattr_setrobust");
        check(lib.pthread_mutex_init(memory, attr), "pthread_mutex_init");
        return memory;
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: rc=" + rc);
        }
    }
}
