package io.ipcarc.posix;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Whether the current thread is virtual, on a library compiled for JDK 17 (where none is). */
final class Threads {
    /** {@code Thread.isVirtual()} on JDK 21+, else null (then no thread is virtual, and the JIT folds the test away). */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private Threads() {
    }

    /** @return whether the current thread is a virtual thread */
    static boolean isVirtual() {
        if (IS_VIRTUAL == null) {
            return false;
        }
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
