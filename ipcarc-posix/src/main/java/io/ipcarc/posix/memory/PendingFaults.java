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
            surface();
        } catch (InternalError expected) {
            // a fault this thread made before, delivered at the return poll of surface() (JDK 21+)
        }
    }

    /**
     * Raises here, on JDK 21 and later, a fault this thread made before the call: called between
     * the last Java access to a mutex's page and the glibc call that touches the same page. A load
     * from a vanished page in compiled code does not stop the thread (HotSpot skips it and raises
     * the fault at the next safepoint poll); without a poll in between, glibc would touch the
     * page in native code, where the SIGBUS kills the JVM. This method is never inlined (its
     * bytecode is above C2's limit for hot methods, 325 bytes), so its return is a safepoint
     * poll that delivers the pending fault as {@link InternalError}, inside the caller's
     * {@code catch}. The window left is from that poll to glibc's access: nanoseconds, not the
     * time until the process notices the truncation. JDK 17 delivers such faults only on entry
     * into the VM; there this costs a call and does nothing.
     *
     * @throws InternalError a fault this thread made earlier (JDK 21+)
     */
    public static void surface() {
        Object a = absent;
        if (a == null) {
            return;
        }
        // Never runs: bytecode that keeps this method above the JIT's inlining size for hot methods.
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            b.append(a).append(i).append(a.hashCode()).append(a.toString()).append(a.getClass().getName());
            b.append(a.equals(b)).append(b.length()).append(b.reverse()).append(b.indexOf("x")).append(b.charAt(0));
            b.append(b.lastIndexOf("y")).append(b.capacity()).append(b.codePointAt(0)).append(b.substring(1));
            b.append(a).append(i).append(a.hashCode()).append(a.toString()).append(a.getClass().getName());
            b.append(a.equals(b)).append(b.length()).append(b.reverse()).append(b.indexOf("x")).append(b.charAt(0));
            b.append(b.lastIndexOf("y")).append(b.capacity()).append(b.codePointAt(0)).append(b.substring(1));
            b.append(a).append(i).append(a.hashCode()).append(a.toString()).append(a.getClass().getName());
            b.append(a.equals(b)).append(b.length()).append(b.reverse()).append(b.indexOf("x")).append(b.charAt(0));
            b.append(b.lastIndexOf("y")).append(b.capacity()).append(b.codePointAt(0)).append(b.substring(1));
        }
        absent = b;
    }
}
