package io.ipcarc.posix.lock;

import static io.ipcarc.posix.lock.MutexWords.FUTEX_OWNER_DIED;
import static io.ipcarc.posix.lock.MutexWords.FUTEX_TID_MASK;
import static io.ipcarc.posix.lock.MutexWords.FUTEX_WAITERS;
import static io.ipcarc.posix.lock.MutexWords.LOCK_WORD;

import java.util.function.BooleanSupplier;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/**
 * Waits for a segment's robust mutex without letting glibc sleep on the segment's memory.
 *
 * <p>{@code pthread_mutex_lock} and {@code pthread_mutex_clocklock} sleep in the kernel and, after
 * each wake-up or timed slice, load the mutex again inside glibc. If another process truncated
 * the object meanwhile, that load is a SIGBUS in native code, which kills the JVM; and an untimed
 * lock whose page vanished sleeps for ever. So the library never calls them. It waits the way
 * glibc itself does, with glibc's own protocol on the lock word (docs/design.md, "Lock"), but
 * makes the sleeping system call itself, where a vanished page is the error {@code EFAULT}, and
 * checks the object's size ({@code fstat}) before it touches the mutex again:
 * <ol>
 *   <li>check the size; {@code pthread_mutex_trylock} (never sleeps). 0 or {@code EOWNERDEAD}: done.</li>
 *   <li>Busy: load the lock word. Free or owner-died: go to 1. Else make sure {@code FUTEX_WAITERS}
 *       is set (compare-and-set from the value loaded, as glibc's lock does), so that the holder's
 *       unlock (an atomic exchange to 0 that wakes one waiter when the bit was set) or the
 *       kernel's owner-death handling (which wakes one waiter when the bit is set) wakes us.</li>
 *   <li>{@code FUTEX_WAIT} (process-shared, like glibc's for a process-shared robust mutex) on the
 *       lock word with that value, for at most one slice; go to 1.</li>
 * </ol>
 * A waiter that then takes the mutex sets {@code FUTEX_WAITERS} on it again (a compare-and-set
 * while it holds it), as glibc's lock does after it slept: the single wake-up it consumed may
 * have been the only one, and other waiters must not be forgotten. That costs one needless
 * {@code FUTEX_WAKE} at its unlock when nobody else waits.
 *
 * <p>A thread of another PID namespace whose thread id equals this thread's (glibc then answers
 * the trylock {@code EDEADLK}) is waited for the same way: its unlock wakes us.
 */
public final class MutexWait {
    /** Longest single sleep: interrupts, deadlines and truncation are noticed within one. */
    static final long SLICE_NANOS = 20_000_000L;
    /** A wait nothing stops but its deadline. */
    public static final BooleanSupplier NEVER = () -> false;

    /** Checks, before each touch of the mutex, that the object still holds its page; throws if not. */
    @FunctionalInterface
    public interface PageCheck {
        /** Returns if the mutex may be touched; throws (a {@code CorruptSegmentException}) if not. */
        void check();
    }

    private MutexWait() {
    }

    /**
     * Takes the mutex, waiting until {@code deadline} at most.
     *
     * @param words the mapping's header words ({@link MemoryView#headerWords()})
     * @param base the mapping's address
     * @param mutex offset of the mutex in the mapping
     * @param deadline a {@link System#nanoTime()} value
     * @param stop checked between slices ({@link Thread#interrupted} for an interruptible wait)
     * @param page the size check made before every touch of the mutex after a sleep
     * @return 0 or {@code EOWNERDEAD} (this thread holds the mutex), {@code ETIMEDOUT}, another
     *     pthread error, or -1 if {@code stop} said so
     */
    public static int lockUntil(RawMemory words, long base, int mutex, long deadline, BooleanSupplier stop, PageCheck page) {
        long address = base + mutex;
        boolean slept = false;
        while (true) {
            if (stop.getAsBoolean()) {
                return -1;
            }
            page.check();
            int rc = ProcessMutex.tryLock(address);
            if (rc == 0 || rc == Linux.EOWNERDEAD) {
                if (slept) {
                    markWaiters(words, mutex);
                }
                return rc;
            }
            if (rc != Linux.EBUSY && rc != Linux.EDEADLK) {
                return rc;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Linux.ETIMEDOUT;
            }
            int word = words.getIntVolatile(mutex + LOCK_WORD);
            if ((word & FUTEX_TID_MASK) == 0 || (word & FUTEX_OWNER_DIED) != 0) {
                continue; // released, or its owner died: the trylock takes it (EOWNERDEAD)
            }
            if ((word & FUTEX_WAITERS) == 0) {
                // Only from a value with an owner: a free word with the bit set would make glibc's
                // lock sleep on a mutex nobody holds.
                if (!words.compareAndSetInt(mutex + LOCK_WORD, word, word | FUTEX_WAITERS)) {
                    continue;
                }
                word |= FUTEX_WAITERS;
            }
            slept = true;
            int r = Futex.await(address + LOCK_WORD, word, Math.min(left, SLICE_NANOS));
            if (r == Linux.EFAULT) {
                page.check(); // the page is gone: throws
                return Linux.EFAULT;
            }
        }
    }

    /** Sets FUTEX_WAITERS on a mutex this thread holds, so that its unlock wakes the next waiter. */
    private static void markWaiters(RawMemory words, int mutex) {
        while (true) {
            int word = words.getIntVolatile(mutex + LOCK_WORD);
            if ((word & FUTEX_WAITERS) != 0 || words.compareAndSetInt(mutex + LOCK_WORD, word, word | FUTEX_WAITERS)) {
                return;
            }
        }
    }
}
