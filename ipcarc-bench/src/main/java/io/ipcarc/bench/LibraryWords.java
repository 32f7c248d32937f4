package io.ipcarc.bench;

import io.ipcarc.IpcArc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * The memory through which ipcarc-posix itself reads and writes the lock protocol's shared words
 * (its handle's header words, a package-private {@code RawMemory}), and where those words are:
 * reached by reflection and constant method handles, for {@link AcquireStepBenchmarks} only, so
 * that its word step makes the library's own accesses rather than a user's checked ones. The
 * offsets come from the library's descriptor classes, so they cannot drift from the layout.
 */
final class LibraryWords {
    private static final MethodHandle GET_INT;
    private static final MethodHandle GET_LONG;
    private static final MethodHandle PUT_INT;

    static {
        try {
            Class<?> raw = Class.forName("io.ipcarc.posix.RawMemory");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(raw, MethodHandles.lookup());
            GET_INT = l.findVirtual(raw, "getInt", MethodType.methodType(int.class, int.class))
                    .asType(MethodType.methodType(int.class, Object.class, int.class));
            GET_LONG = l.findVirtual(raw, "getLong", MethodType.methodType(long.class, int.class))
                    .asType(MethodType.methodType(long.class, Object.class, int.class));
            PUT_INT = l.findVirtual(raw, "putInt", MethodType.methodType(void.class, int.class, int.class))
                    .asType(MethodType.methodType(void.class, Object.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The header words; their owner is the arc given to {@link #of}. */
    private final Object words;
    /** The user mutex's kind word. */
    final int kind;
    /** What the kind word holds in an undamaged segment. */
    final int kindValue;
    /** The owner pid word. */
    final int ownerPid;
    /** The commit (sequence) word. */
    final int sequence;
    /** The owner-died flag. */
    final int ownerDied;
    /** The user mutex's owner word. */
    final int mutexOwner;
    /** The user mutex's robust-list links. */
    final int listPrev;
    final int listNext;

    private LibraryWords(Object words, int mutex, int kindWord, int kindValue, int ownerPid, int sequence,
                         int ownerDied, int ownerWord, int listPrev, int listNext) {
        this.words = words;
        this.kind = mutex + kindWord;
        this.kindValue = kindValue;
        this.ownerPid = ownerPid;
        this.sequence = sequence;
        this.ownerDied = ownerDied;
        this.mutexOwner = mutex + ownerWord;
        this.listPrev = mutex + listPrev;
        this.listNext = mutex + listNext;
    }

    /**
     * Finds the words of {@code arc}.
     *
     * @param arc an open arc of the POSIX provider
     * @return its header view and word offsets
     */
    static LibraryWords of(IpcArc<?> arc) {
        try {
            Object handle = field(arc.getClass(), "handle").get(arc);
            Object words = field(handle.getClass(), "words").get(handle);
            Class<?> d = Class.forName("io.ipcarc.posix.SegmentDescriptor");
            Class<?> m = Class.forName("io.ipcarc.posix.MutexIntegrity");
            return new LibraryWords(words, constant(d, "USER_MUTEX_OFFSET"), constant(d, "MUTEX_KIND_WORD"), constant(d, "MUTEX_KIND"),
                    constant(d, "OWNER_PID_OFFSET"), constant(d, "SEQUENCE_OFFSET"), constant(d, "OWNER_DIED_OFFSET"),
                    constant(m, "OWNER_WORD"), constant(m, "LIST_PREV"), constant(m, "LIST_NEXT"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the library's header words: " + e, e);
        }
    }

    /**
     * Loads a 32-bit word as the library does.
     *
     * @param offset where
     * @return the word
     * @throws Throwable never: the handle's type is fixed
     */
    int getInt(int offset) throws Throwable {
        return (int) GET_INT.invokeExact(words, offset);
    }

    /**
     * Loads a 64-bit word as the library does.
     *
     * @param offset where
     * @return the word
     * @throws Throwable never: the handle's type is fixed
     */
    long getLong(int offset) throws Throwable {
        return (long) GET_LONG.invokeExact(words, offset);
    }

    /**
     * Stores a 32-bit word as the library does.
     *
     * @param offset where
     * @param value what
     * @throws Throwable never: the handle's type is fixed
     */
    void putInt(int offset, int value) throws Throwable {
        PUT_INT.invokeExact(words, offset, value);
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static int constant(Class<?> c, String name) throws ReflectiveOperationException {
        return field(c, name).getInt(null);
    }
}
