package io.ipcarc.bench.xproc;

import io.ipcarc.posix.probe.PosixProbe;

/** Which native binding of ipcarc-posix this JVM (and so each child of the harness) uses. */
final class Bindings {
    private Bindings() {
    }

    /**
     * Returns the binding's name for the report.
     *
     * @return {@code jnr-ffi} or {@code java.lang.foreign (FFM)}, as ipcarc-posix chose it
     */
    static String current() {
        String n = PosixProbe.bindingName();
        return n.equals("jnr") ? "jnr-ffi" : n.equals("ffm") ? "java.lang.foreign (FFM)" : n;
    }
}
