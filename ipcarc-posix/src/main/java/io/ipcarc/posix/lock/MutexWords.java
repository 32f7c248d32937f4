package io.ipcarc.posix.lock;

import io.ipcarc.posix.sys.Linux;

import io.ipcarc.LockInfo;
import io.ipcarc.SharedView;
import io.ipcarc.posix.sys.ProcessIds;

/**
 * Decodes the state of a robust glibc mutex from its words, without calling into pthreads
 * (a trylock would change the state it is asked about).
 *
 * <p>Measured on Linux x86_64, glibc 2.36, with a C program that locks the mutex in a child
 * and kills it: the lock word at +0 holds the owner's TID (plus FUTEX_WAITERS 0x80000000 when
 * someone waits); when the owner dies the kernel replaces it with FUTEX_OWNER_DIED 0x40000000
 * and clears the TID, while the owner word at +8 keeps the dead owner's TID. After an unlock
 * without pthread_mutex_consistent the owner word is 0x7ffffffe (not recoverable); while the
 * new owner has not made it consistent yet it is 0x7fffffff.
 */
public final class MutexWords {
    /** Lock word bit 31: a thread may be asleep on the futex; the unlock wakes one. */
    public static final int FUTEX_WAITERS = 0x80000000;
    /** Lock word bit 30: the kernel found the owner dead. */
    public static final int FUTEX_OWNER_DIED = 0x40000000;
    /** Lock word bits 0 to 29: the owner's thread id. */
    public static final int FUTEX_TID_MASK = 0x3fffffff;
    /** glibc's PTHREAD_MUTEX_NOTRECOVERABLE in the owner word. */
    public static final int OWNER_NOT_RECOVERABLE = 0x7ffffffe;
    /** Offset of the lock word in pthread_mutex_t. */
    public static final int LOCK_WORD = 0;
    /** glibc's kind word of a robust, process-shared, error-checking mutex: ERRORCHECK 2 | ROBUST 16 | PSHARED 128. */
    public static final int KIND = 146;
    /** Offset of the kind word inside a glibc pthread_mutex_t (x86_64 and aarch64). */
    public static final int KIND_WORD = 16;
    /** sizeof(pthread_mutex_t) of glibc: 40 on x86_64, 48 on aarch64. */
    public static final int SIZE = Linux.AARCH64 ? 48 : 40;
    /** Offset of the owner TID in pthread_mutex_t (glibc, x86_64 and aarch64). */
    public static final int OWNER_WORD = 8;

    private MutexWords() {
    }

    /**
     * @param h a view of the header
     * @param mutexOffset where the mutex is
     * @param advisoryPidOffset where the library records the pid of the lock's holder
     * @return the lock's state; the holder's pid comes from its TID when that thread still exists
     */
    public static LockInfo decode(SharedView h, int mutexOffset, int advisoryPidOffset) {
        int lock = h.getInt(mutexOffset + LOCK_WORD);
        int owner = h.getInt(mutexOffset + OWNER_WORD);
        int advisoryPid = h.getInt(advisoryPidOffset);
        int tid = lock & FUTEX_TID_MASK;
        if (tid != 0) {
            int pid = ProcessIds.processOfThread(tid);
            return new LockInfo(LockInfo.State.HELD, pid > 0 ? pid : advisoryPid, tid);
        }
        if ((lock & FUTEX_OWNER_DIED) != 0) {
            return new LockInfo(LockInfo.State.OWNER_DIED, advisoryPid, owner);
        }
        if (owner == OWNER_NOT_RECOVERABLE) {
            return new LockInfo(LockInfo.State.NOT_RECOVERABLE, 0, 0);
        }
        return new LockInfo(LockInfo.State.FREE, 0, 0);
    }
}
