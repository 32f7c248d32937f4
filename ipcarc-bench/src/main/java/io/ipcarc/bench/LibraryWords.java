package io.ipcarc.bench;

import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import java.lang.reflect.Field;

/**
 * The view through which ipcarc-posix itself reads and writes the lock protocol's shared words
 * (its handle's unscoped header view), and where those words are: reached by reflection, for
 * {@link AcquireStepBenchmarks} only, so that its word step makes the library's own accesses
 * rather than a user's checked ones. The offsets come from the library's descriptor classes, so
 * they cannot drift from the layout.
 */
final class LibraryWords {
    /** The header view; its owner is the arc given to {@link #of}. */
    final SharedBuffer view;
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

    private LibraryWords(SharedBuffer view, int mutex, int kindWord, int kindValue, int ownerPid, int sequence,
                         int ownerDied, int ownerWord, int listPrev, int listNext) {
        this.view = view;
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
            SharedBuffer words = (SharedBuffer) field(handle.getClass(), "words").get(handle);
            Class<?> d = Class.forName("io.ipcarc.posix.SegmentDescriptor");
            Class<?> m = Class.forName("io.ipcarc.posix.MutexIntegrity");
            return new LibraryWords(words, constant(d, "USER_MUTEX_OFFSET"), constant(d, "MUTEX_KIND_WORD"), constant(d, "MUTEX_KIND"),
                    constant(d, "OWNER_PID_OFFSET"), constant(d, "SEQUENCE_OFFSET"), constant(d, "OWNER_DIED_OFFSET"),
                    constant(m, "OWNER_WORD"), constant(m, "LIST_PREV"), constant(m, "LIST_NEXT"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the library's header view: " + e, e);
        }
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
