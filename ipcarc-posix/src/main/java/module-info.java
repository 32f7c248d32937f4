/**
 * The POSIX implementation of IpcArc: segments in {@code /dev/shm}, robust process-shared
 * mutexes, and the two native bindings (java.lang.foreign on JDK 22+, jnr-ffi before).
 *
 * <p>Packages: {@code io.ipcarc.posix} (the provider and its handles, guards and payload locks),
 * {@code .segment} (a segment's lifecycle: open, header, holders, retention, removal),
 * {@code .lock} (the robust mutex and its waits), {@code .memory} (mapped memory and its views),
 * {@code .sys} (the native seam and its bindings). Exported: the provider's package, the probe for
 * ipcarc's own benchmarks, and the jnr binding's libc interface (for jnr-ffi). On JDK 22+, grant native access to this module
 * ({@code --enable-native-access=io.ipcarc.posix}).
 */
module io.ipcarc.posix {
    requires transitive io.ipcarc;
    // The JFR events of the slow paths (io.ipcarc.posix.events): lock waits, owner deaths, reaps.
    requires jdk.jfr;
    // jnr-ffi and its jffi, for JDK 17-21 (and -Dipcarc.native=jnr): automatic modules (their jars
    // name them), never loaded on the FFM path.
    requires org.jnrproject.ffi;
    requires org.jnrproject.jffi;
    // ... and the ASM modules with which jnr-ffi generates its stubs: an automatic module cannot
    // require them itself, and nothing else would resolve them (these two require the rest).
    requires org.objectweb.asm.commons;
    requires org.objectweb.asm.util;

    exports io.ipcarc.posix;
    exports io.ipcarc.posix.probe;
    // jnr-ffi implements the jnr binding's interface to libc with a generated class in an unnamed
    // module, which only an unqualified export reaches; the package holds that interface alone.
    exports io.ipcarc.posix.sys.jnr;

    provides io.ipcarc.spi.IpcArcProvider with io.ipcarc.posix.PosixIpcArcProvider;
}
