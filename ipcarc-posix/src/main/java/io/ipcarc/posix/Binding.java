package io.ipcarc.posix;

import java.util.Locale;

/**
 * One way of reaching native code and native memory: the {@link NativeOps} functions and the
 * {@link RawMemory} over mappings and call arguments. Exactly one binding is used per JVM, chosen
 * when the class is first used:
 * <ul>
 *   <li>{@code -Dipcarc.native=jnr} or {@code -Dipcarc.native=ffm} forces one;</li>
 *   <li>otherwise {@code java.lang.foreign} on JDK 22 and later when its classes are in the jar
 *       (they are compiled only by a build on JDK 22+), jnr-ffi elsewhere.</li>
 * </ul>
 * On the FFM path no class of jnr-ffi or jffi is loaded.
 */
abstract class Binding {
    /** System property that forces a binding: {@code jnr} or {@code ffm}. */
    static final String PROPERTY = "ipcarc.native";
    private static final String FFM_CLASS = "io.ipcarc.posix.FfmBinding";

    /** The binding of this JVM. */
    static final Binding CURRENT = select();
    /** The foreign functions of {@link #CURRENT}. */
    static final NativeOps C = CURRENT.c;

    /** The functions. */
    final NativeOps c;

    Binding(NativeOps c) {
        this.c = c;
    }

    /** @return {@code jnr} or {@code ffm} */
    abstract String name();

    /**
     * Native memory that stays valid while the returned object is reachable, zero-filled: for
     * structures passed to foreign calls (a timespec, a struct stat).
     *
     * @param size bytes
     * @return the memory
     */
    abstract RawMemory allocate(int size);

    /**
     * Raw memory over {@code size} bytes at {@code address}, mapped or allocated elsewhere and not
     * owned by the result.
     *
     * @param address the first byte
     * @param size bytes
     * @return the memory
     */
    abstract RawMemory wrap(long address, int size);

    /**
     * Maps {@code size} bytes of {@code fd} shared, readable and writable.
     *
     * @param fd an open shared-memory object
     * @param size bytes, at most the object's size
     * @return the mapping, or {@code null} with {@link NativeOps#errno()} set
     */
    abstract RawMemory map(int fd, int size);

    /**
     * Makes the mapping unusable for the library's Java code and for later foreign calls, without
     * leaving a hole a racing access could fault on; {@link #unmap} frees it later.
     *
     * @param memory a mapping from {@link #map}
     * @return 0, or the errno of a failed replacement (the shared pages then stay mapped)
     */
    abstract int retire(RawMemory memory);

    /**
     * Releases the address range of a mapping that nothing can reach any more.
     *
     * @param memory a mapping from {@link #map}
     */
    abstract void unmap(RawMemory memory);

    private static Binding select() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            throw new UnsupportedOperationException("ipcarc-posix supports Linux only: os=" + System.getProperty("os.name"));
        }
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        int feature = Runtime.version().feature();
        switch (forced) {
            case "jnr":
                return new JnrBinding();
            case "ffm":
                if (feature < 22) {
                    throw new IllegalStateException("-D" + PROPERTY + "=ffm needs JDK 22 or later: java.version="
                            + System.getProperty("java.version"));
                }
                Binding ffm = ffm();
                if (ffm == null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=ffm: this ipcarc-posix jar has no FFM binding"
                            + " (it was built on a JDK older than 22)");
                }
                return ffm;
            case "":
                Binding b = feature >= 22 ? ffm() : null;
                return b != null ? b : new JnrBinding();
            default:
                throw new IllegalArgumentException("unknown native binding: -D" + PROPERTY + "=" + forced + " (use jnr or ffm)");
        }
    }

    private static Binding ffm() {
        try {
            return (Binding) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the FFM binding: " + e, e);
        }
    }
}
