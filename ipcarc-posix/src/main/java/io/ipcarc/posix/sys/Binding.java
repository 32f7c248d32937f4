package io.ipcarc.posix.sys;

import java.util.Locale;

/**
 * One way of reaching native code and native memory: the {@link NativeOps} functions and the
 * {@link RawMemory} over mappings and call arguments. Exactly one binding is used per JVM, chosen
 * when the class is first used:
 * <ul>
 *   <li>{@code -Dipcarc.native=jnr} or {@code -Dipcarc.native=ffm} forces one;</li>
 *   <li>otherwise {@code java.lang.foreign} on JDK 22 and later when its classes are in the jar
 *       (every build compiles them, on JDK 17 with a JDK 22+ javac), jnr-ffi elsewhere.</li>
 * </ul>
 * On the FFM path no class of jnr-ffi or jffi is loaded.
 */
public abstract class Binding {
    /** System property that forces a binding: {@code jnr} or {@code ffm}. */
    public static final String PROPERTY = "ipcarc.native";
    private static final String FFM_CLASS = "io.ipcarc.posix.sys.FfmBinding";
    private static final String JNR_CLASS = "io.ipcarc.posix.sys.JnrBinding";

    /** The binding of this JVM. */
    public static final Binding CURRENT = select();
    /** The foreign functions of {@link #CURRENT}. */
    public static final NativeOps C = CURRENT.c;

    /** The functions. */
    public final NativeOps c;

    Binding(NativeOps c) {
        this.c = c;
    }

    /** @return {@code jnr} or {@code ffm} */
    public abstract String name();

    /**
     * Native memory that stays valid while the returned object is reachable, zero-filled: for
     * structures passed to foreign calls (a timespec, a struct stat).
     *
     * @param size bytes
     * @return the memory
     */
    public abstract RawMemory allocate(int size);

    /**
     * Raw memory over {@code size} bytes at {@code address}, mapped or allocated elsewhere and not
     * owned by the result.
     *
     * @param address the first byte
     * @param size bytes
     * @return the memory
     */
    public abstract RawMemory wrap(long address, int size);

    /**
     * Maps {@code size} bytes of {@code fd} shared, readable and writable.
     *
     * @param fd an open shared-memory object
     * @param size bytes, at most the object's size
     * @return the mapping, or {@code null} with {@link NativeOps#errno()} set
     */
    public abstract RawMemory map(int fd, int size);

    /**
     * Replaces part of a mapping, in this process only, by private zero pages at the same
     * addresses ({@code mmap MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS}): for the pages of an object
     * that another process truncated, so that no later access faults.
     *
     * @param memory a mapping from {@link #map}
     * @param offset first byte to replace, a multiple of the page size
     * @param length bytes, a multiple of the page size
     * @return whether it worked ({@link NativeOps#errno()} says why not)
     */
    public boolean replaceWithPrivate(RawMemory memory, long offset, long length) {
        long address = memory.address() + offset;
        return c.mmap(address, length, Linux.PROT_READ | Linux.PROT_WRITE,
                Linux.MAP_PRIVATE | Linux.MAP_FIXED | Linux.MAP_ANONYMOUS, -1, 0) == address;
    }

    /**
     * Releases the address range of a mapping that nothing can reach any more.
     *
     * @param memory a mapping from {@link #map}
     */
    public abstract void unmap(RawMemory memory);

    private static Binding select() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            throw new UnsupportedOperationException("ipcarc-posix supports Linux only: os=" + System.getProperty("os.name"));
        }
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        int feature = Runtime.version().feature();
        switch (forced) {
            case "jnr":
                return jnr();
            case "ffm":
                if (feature < 22) {
                    throw new IllegalStateException("-D" + PROPERTY + "=ffm needs JDK 22 or later: java.version="
                            + System.getProperty("java.version"));
                }
                Binding ffm = instantiate(FFM_CLASS);
                if (ffm == null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=ffm: this ipcarc-posix jar has no FFM binding"
                            + " (it was built on a JDK older than 22)");
                }
                return ffm;
            case "":
                Binding b = feature >= 22 ? instantiate(FFM_CLASS) : null;
                return b != null ? b : jnr();
            default:
                throw new IllegalArgumentException("unknown native binding: -D" + PROPERTY + "=" + forced + " (use jnr or ffm)");
        }
    }

    private static Binding jnr() {
        Binding jnr = instantiate(JNR_CLASS);
        if (jnr == null) {
            throw new IllegalStateException("this ipcarc-posix jar has no jnr-ffi binding: class=" + JNR_CLASS);
        }
        return jnr;
    }

    /**
     * Creates a binding by class name, so that the other binding's class is never loaded (not
     * even by the verifier, which would load a class named in a {@code new} here to check its
     * type): on the FFM path, nothing that refers to jnr-ffi.
     *
     * @return the binding, or null if its class is not in the jar
     */
    private static Binding instantiate(String className) {
        try {
            return (Binding) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot start the native binding: class=" + className + ", cause=" + cause, cause);
        }
    }
}
