package io.ipcarc.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline of {@code SharedBuffer.getAndAddLong}: a {@link VarHandle} {@code getAndAdd} on
 * plain off-heap memory with no library around it. On JDK 22 and later a {@code MemorySegment}
 * of a global arena with the {@code JAVA_LONG} layout's handle (what the FFM binding uses on the
 * mapping); before, a direct {@link ByteBuffer} with a byte-buffer view handle (what the jnr
 * binding uses). This module compiles for Java 17, so the JDK 22 handle is found reflectively and
 * turned into a {@code static final} method handle {@code (Object, long, long) long}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OffHeapBaselineBenchmarks {
    /** Creates the benchmark state; JMH calls it once per fork. */
    public OffHeapBaselineBenchmarks() {
    }

    private static final VarHandle BUFFER_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** {@code (MemorySegment as Object, long offset, long delta) long}, or null before JDK 22. */
    private static final MethodHandle SEGMENT_GET_AND_ADD = segmentGetAndAdd();
    private static final Object SEGMENT = plainSegment();

    /** The memory: a segment (JDK 22+) or a direct buffer; a field, as the library's view is. */
    private Object memory;

    /** Allocates the memory. */
    @Setup
    public void setUp() {
        memory = SEGMENT != null ? SEGMENT : ByteBuffer.allocateDirect(64);
    }

    /**
     * Returns the value before the add.
     *
     * @return the value before the add
     * @throws Throwable never
     */
    @Benchmark
    public long varHandleGetAndAdd() throws Throwable {
        if (SEGMENT_GET_AND_ADD != null) {
            return (long) SEGMENT_GET_AND_ADD.invokeExact(memory, 0L, 1L);
        }
        return (long) BUFFER_LONGS.getAndAdd((ByteBuffer) memory, 0, 1L);
    }

    /**
     * Returns what the baseline measures on this JDK, for the report.
     *
     * @return what the baseline measures on this JDK, for the report
     */
    static String what() {
        return SEGMENT_GET_AND_ADD != null ? "MemorySegment (global arena), JAVA_LONG.varHandle()"
                : "direct ByteBuffer, byteBufferViewVarHandle";
    }

    /**
     * Returns {@code (Object segment, long offset, long delta) long}, or null before JDK 22.
     *
     * @return {@code (Object segment, long offset, long delta) long}, or null before JDK 22
     */
    static MethodHandle segmentGetAndAdd() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Object javaLong = valueLayout.getField("JAVA_LONG").get(null);
            VarHandle vh = (VarHandle) valueLayout.getMethod("varHandle").invoke(javaLong);
            MethodHandle mh = vh.toMethodHandle(VarHandle.AccessMode.GET_AND_ADD);
            // (MemorySegment, long, long) long -> (Object, long, long) long: a checkcast the JIT folds.
            return mh.asType(MethodType.methodType(long.class, Object.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the MemorySegment baseline: " + e, e);
        }
    }

    /**
     * Returns a 64-byte segment of the global arena, or null before JDK 22.
     *
     * @return a 64-byte segment of the global arena, or null before JDK 22
     */
    static Object plainSegment() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            Object arena = arenaClass.getMethod("global").invoke(null);
            return arenaClass.getMethod("allocate", long.class, long.class).invoke(arena, 64L, 64L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot allocate the MemorySegment baseline: " + e, e);
        }
    }
}
