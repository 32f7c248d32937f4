package io.ipcarc.posix.memory;

/**
 * Makes HotSpot deliver, here, a memory fault it has not reported yet.
 *
 * <p>When an access to a truncated mapping faults in C2-compiled code, HotSpot does not throw at
 * the access: it skips the instruction (a load yields whatever the register held) and raises
 * {@link InternalError} later, asynchronously: JDK 21 and later at the thread's next safepoint
 * poll, JDK 17 at the next safepoint operation or entry into the VM. That can be outside any
 * IpcArc call, in the caller's own code (docs/design.md, "Truncation", shows it without IpcArc).
 * Once a process has found a segment truncated, each of its threads calls {@link #deliver()}
 * the first time it meets the damage, inside the library's {@code catch}, so that a fault it made
 * earlier surfaces (and is dropped) there and not later in the caller.
 */
public final class PendingFaults {
    /** Always {@code null}: dereferenced to make the JVM throw from its runtime. */
    private static Object absent;

    private PendingFaults() {
    }

    /** Surfaces and drops a pending asynchronous fault of this thread, if it has one. */
    public static void deliver() {
        try {
            // An implicit NullPointerException enters the VM's runtime, whose exit delivers (JDK 17)
            // or, with the exception pending, drops a pending unsafe-access error.
            absent.hashCode();
        } catch (NullPointerException | InternalError expected) {
            // the purpose of the call
        }
        try {
            poll();
        } catch (InternalError expected) {
            // a fault this thread made before, delivered at the return poll below (JDK 21+)
        }
    }

    /** Not inlined (large): its return has a safepoint poll, where JDK 21+ delivers a pending fault. */
    private static void poll() {
        Object a = absent;
        if (a == null) {
            return;
        }
        // Never runs: bytecode that keeps this method above the JIT's inlining size.
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            b.append(a).append(i).append(a.hashCode()).append(a.toString()).append(a.getClass().getName());
            b.append(a.equals(b)).append(b.length()).append(b.reverse()).append(b.indexOf("x")).append(b.charAt(0));
            b.append(b.lastIndexOf("y")).append(b.capacity()).append(b.codePointAt(0)).append(b.substring(1));
        }
        absent = b;
    }
}
