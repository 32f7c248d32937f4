package io.ipcarc.posix.lock;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.RawMemory;

/**
 * Checks of the words of a glibc robust mutex that glibc trusts without checking: another
 * process with write access to the segment can damage them, and glibc would then abort the
 * process (an assertion on a kind it was not created with) or write through a bad pointer (the
 * robust-list links, followed by unlock).
 *
 * <ul>
 *   <li>Before every pthread call: the kind word must be exactly {@link MutexWords#KIND},
 *       else {@link CorruptSegmentException} and no call is made.</li>
 *   <li>Right after a lock succeeds, the locker notes the owner word and the two robust-list
 *       links glibc just wrote; right before unlocking it compares them and, if another process
 *       changed them meanwhile, writes back its own values (they point into this thread's own
 *       memory) so that the unlock is safe, and reports the damage.</li>
 * </ul>
 * A Java load of the mutex's page also turns a truncated object into an {@link InternalError}
 * (caught by the callers) before glibc would touch it and die of SIGBUS.
 */
public final class MutexIntegrity {
    /** pthread_mutex_t: the owner's thread id. */
    public static final int OWNER_WORD = MutexWords.OWNER_WORD;
    /** pthread_mutex_t: robust list, previous link (x86_64 and aarch64 glibc). */
    public static final int LIST_PREV = 24;
    /** pthread_mutex_t: robust list, next link. */
    public static final int LIST_NEXT = 32;

    private MutexIntegrity() {
    }

    /**
     * @param h the header's words ({@link MemoryView#headerWords()})
     * @param mutex offset of the mutex
     * @return whether the kind word is what the creator wrote (no message is built: for hot paths)
     */
    public static boolean kindIntact(RawMemory h, int mutex) {
        return h.getInt(mutex + MutexWords.KIND_WORD) == MutexWords.KIND;
    }

    /**
     * @param h the header's words ({@link MemoryView#headerWords()})
     * @param mutex offset of the mutex
     * @param name the segment, for the message
     * @param which {@code user} or {@code admin}
     * @throws CorruptSegmentException if the kind word is not what the creator wrote
     */
    public static void checkKind(RawMemory h, int mutex, String name, String which) {
        if (!kindIntact(h, mutex)) {
            throw kindDamaged(h, mutex, name, which);
        }
    }

    /**
     * @param h the header's words ({@link MemoryView#headerWords()})
     * @param mutex offset of the mutex, whose kind word {@link #kindIntact} found damaged
     * @param name the segment, for the message
     * @param which {@code user} or {@code admin}
     * @return the exception to throw instead of calling glibc
     */
    public static CorruptSegmentException kindDamaged(RawMemory h, int mutex, String name, String which) {
        return new CorruptSegmentException("mutex damaged, not called: name=" + name + ", mutex=" + which
                + ", word=kind, found=" + h.getInt(mutex + MutexWords.KIND_WORD) + ", expected=" + MutexWords.KIND
                + " (a process wrote into the segment's mutex; glibc would abort on it)", name);
    }

    /**
     * Puts back the words this thread's lock wrote, if someone changed them while it held the mutex.
     *
     * @param h the header's words ({@link MemoryView#headerWords()})
     * @param mutex offset of the mutex
     * @param owner the owner word read right after locking
     * @param prev the list's previous link read right after locking
     * @param next the list's next link read right after locking
     * @return {@code null} if nothing was changed, otherwise which words were (now restored)
     */
    public static String restore(RawMemory h, int mutex, int owner, long prev, long next) {
        String damaged = null;
        if (h.getInt(mutex + MutexWords.KIND_WORD) != MutexWords.KIND) {
            h.putInt(mutex + MutexWords.KIND_WORD, MutexWords.KIND);
            damaged = "kind";
        }
        if (h.getInt(mutex + OWNER_WORD) != owner) {
            h.putInt(mutex + OWNER_WORD, owner);
            damaged = damaged == null ? "owner" : damaged + ",owner";
        }
        if (h.getLong(mutex + LIST_PREV) != prev || h.getLong(mutex + LIST_NEXT) != next) {
            h.putLong(mutex + LIST_PREV, prev);
            h.putLong(mutex + LIST_NEXT, next);
            damaged = damaged == null ? "list" : damaged + ",list";
        }
        return damaged;
    }

    /**
     * @param name the segment
     * @param which {@code user} or {@code admin}
     * @param words what {@link #restore} reported
     * @return the exception reporting it
     */
    public static CorruptSegmentException damagedWhileHeld(String name, String which, String words) {
        return new CorruptSegmentException("mutex damaged while held, repaired and released: name=" + name + ", mutex="
                + which + ", words=" + words + " (a process wrote into the segment's mutex)", name);
    }
}
