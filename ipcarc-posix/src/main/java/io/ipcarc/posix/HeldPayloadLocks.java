package io.ipcarc.posix;

import java.util.Arrays;

/**
 * The payload locks the current thread holds, by key ({@link PosixPayloadLock#key()}): how a
 * relock is told apart from a thread of another PID namespace with the same thread id (glibc
 * answers both with EDEADLK). A thread holds few at a time: a small array per thread.
 */
final class HeldPayloadLocks {
    private static final ThreadLocal<HeldPayloadLocks> HELD = ThreadLocal.withInitial(HeldPayloadLocks::new);

    private long[] keys = new long[4];
    private int size;

    private HeldPayloadLocks() {
    }

    static void add(long key) {
        HeldPayloadLocks h = HELD.get();
        if (h.size == h.keys.length) {
            h.keys = Arrays.copyOf(h.keys, h.size * 2);
        }
        h.keys[h.size++] = key;
    }

    static void remove(long key) {
        HeldPayloadLocks h = HELD.get();
        for (int i = h.size - 1; i >= 0; i--) {
            if (h.keys[i] == key) {
                h.keys[i] = h.keys[--h.size];
                return;
            }
        }
    }

    static boolean holds(long key) {
        HeldPayloadLocks h = HELD.get();
        for (int i = 0; i < h.size; i++) {
            if (h.keys[i] == key) {
                return true;
            }
        }
        return false;
    }
}
