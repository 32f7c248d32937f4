package io.ipcarc.bench;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Diagnostic baseline for JDK 22 and later: the robust, process-shared, error-checking mutex of
 * {@link JnrMutexBenchmarks} locked and unlocked through {@code java.lang.foreign} downcalls,
 * without any of IpcArc's bookkeeping, two ways: ordinary downcalls of
 * {@code pthread_mutex_lock} + {@code unlock}, and critical downcalls
 * ({@code Linker.Option.critical(false)}, no thread-state transition) of
 * {@code pthread_mutex_trylock} + {@code unlock}, as the FFM binding of ipcarc-posix makes them.
 *
 * <p>This module compiles for Java 17, so the handles are built reflectively, once, into
 * {@code static final} fields: the JIT treats them as constants and inlines the downcalls
 * exactly as for handles built in source. Part of {@code ./bench/run} on JDK 22+; alone:
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp ipcarc-bench/target/ipcarc-bench.jar \
 *     org.openjdk.jmh.Main FfmMutexBenchmarks -jvmArgsAppend --enable-native-access=ALL-UNNAMED
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FfmMutexBenchmarks {
    /** Creates the benchmark state; JMH calls it once per fork. */
    public FfmMutexBenchmarks() {
    }

    private static final MethodHandle CALLOC = Downcalls.handle("calloc", false, long.class, long.class, long.class);
    private static final MethodHandle ATTR_INIT = Downcalls.handle("pthread_mutexattr_init", false, int.class, long.class);
    private static final MethodHandle ATTR_SETTYPE =
            Downcalls.handle("pthread_mutexattr_settype", false, int.class, long.class, int.class);
    private static final MethodHandle ATTR_SETPSHARED =
            Downcalls.handle("pthread_mutexattr_setpshared", false, int.class, long.class, int.class);
    private static final MethodHandle ATTR_SETROBUST =
            Downcalls.handle("pthread_mutexattr_setrobust", false, int.class, long.class, int.class);
    private static final MethodHandle MUTEX_INIT = Downcalls.handle("pthread_mutex_init", false, int.class, long.class, long.class);
    private static final MethodHandle LOCK = Downcalls.handle("pthread_mutex_lock", false, int.class, long.class);
    private static final MethodHandle UNLOCK = Downcalls.handle("pthread_mutex_unlock", false, int.class, long.class);
    private static final MethodHandle TRYLOCK_CRITICAL = Downcalls.handle("pthread_mutex_trylock", true, int.class, long.class);
    private static final MethodHandle UNLOCK_CRITICAL = Downcalls.handle("pthread_mutex_unlock", true, int.class, long.class);

    private long mutex;

    /**
     * Initialises a mutex with IpcArc's attributes in native memory (never freed: one per fork).
     *
     * @throws Throwable if a foreign call fails
     */
    @Setup
    public void setUp() throws Throwable {
        mutex = initialisedMutex();
    }

    /**
     * Returns the address of a new robust, process-shared, error-checking mutex in native memory that is
     * never freed.
     *
     * @return the address of a new robust, process-shared, error-checking mutex in native memory
     *     that is never freed
     */
    static long initialisedMutex() {
        try {
            long memory = (long) CALLOC.invokeExact(1L, 128L);
            long attr = memory + 64;
            check((int) ATTR_INIT.invokeExact(attr), "pthread_mutexattr_init");
            check((int) ATTR_SETTYPE.invokeExact(attr, 2), "pthread_mutexattr_settype");
            check((int) ATTR_SETPSHARED.invokeExact(attr, 1), "pthread_mutexattr_setpshared");
            check((int) ATTR_SETROBUST.invokeExact(attr, 1), "pthread_mutexattr_setrobust");
            check((int) MUTEX_INIT.invokeExact(memory, attr), "pthread_mutex_init");
            return memory;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot initialise a mutex: " + t, t);
        }
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
     * @throws Throwable never: the downcalls return error codes
     */
    @Benchmark
    public int ffmLockUnlock() throws Throwable {
        int rc = (int) LOCK.invokeExact(mutex);
        return rc + (int) UNLOCK.invokeExact(mutex);
    }

    /**
     * Returns the unlock's return code (0).
     *
     * @return the unlock's return code (0)
     * @throws Throwable never: the downcalls return error codes
     */
    @Benchmark
    public int ffmCriticalTrylockUnlock() throws Throwable {
        int rc = (int) TRYLOCK_CRITICAL.invokeExact(mutex);
        return rc + (int) UNLOCK_CRITICAL.invokeExact(mutex);
    }

    /** Builds {@code java.lang.foreign} downcall handles through reflection (this module compiles for Java 17). */
    static final class Downcalls {
        private Downcalls() {
        }

        /**
         * Returns the downcall handle.
         *
         * @param name a libc function
         * @param critical link with {@code Linker.Option.critical(false)}
         * @param ret the Java carrier of the result: int.class or long.class
         * @param params the carriers of the parameters (pointers as long.class)
         * @return the downcall handle
         */
        static MethodHandle handle(String name, boolean critical, Class<?> ret, Class<?>... params) {
            try {
                Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
                Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
                return handle(linkerClass.getMethod("defaultLookup").invoke(linker), name, critical, ret, params);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("FfmMutexBenchmarks needs JDK 22 or later: java.version="
                        + System.getProperty("java.version"), e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot link " + name + ": " + e, e);
            }
        }

        /**
         * Returns the downcall handle.
         *
         * @param lookup a {@code SymbolLookup} that finds {@code name}
         * @param name a C function
         * @param critical link with {@code Linker.Option.critical(false)}
         * @param ret the Java carrier of the result: int.class or long.class
         * @param params the carriers of the parameters (pointers as long.class)
         * @return the downcall handle
         */
        static MethodHandle handle(Object lookup, String name, boolean critical, Class<?> ret, Class<?>... params) {
            try {
                Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
                Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
                Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
                Object symbol = ((Optional<?>) lookupClass.getMethod("find", String.class).invoke(lookup, name))
                        .orElseThrow(() -> new IllegalStateException("no function " + name));
                Object layouts = Array.newInstance(layoutClass, params.length);
                for (int i = 0; i < params.length; i++) {
                    Array.set(layouts, i, layout(params[i]));
                }
                Object descriptor = descriptorClass.getMethod("of", layoutClass, layouts.getClass()).invoke(null, layout(ret), layouts);
                Object options = Array.newInstance(optionClass, critical ? 1 : 0);
                if (critical) {
                    Array.set(options, 0, optionClass.getMethod("critical", boolean.class).invoke(null, false));
                }
                return (MethodHandle) linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, options.getClass())
                        .invoke(linker, symbol, descriptor, options);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("FfmMutexBenchmarks needs JDK 22 or later: java.version="
                        + System.getProperty("java.version"), e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot link " + name + ": " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot link " + name + ": " + e, e);
            }
        }

        private static Object layout(Class<?> carrier) throws ReflectiveOperationException {
            String field = carrier == int.class ? "JAVA_INT" : "JAVA_LONG";
            return Class.forName("java.lang.foreign.ValueLayout").getField(field).get(null);
        }
    }
}
