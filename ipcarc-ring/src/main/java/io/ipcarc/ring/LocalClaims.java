package io.ipcarc.ring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ring roles this process holds open, across all its handles of all rings. Every handle of
 * a segment in one process has the same holder id, so the holder id stored in a slot cannot tell
 * a role held open by this process from one left by an earlier process that had the same id
 * (ids are reused once their process is gone): this set can. Changed only under the ring's lock.
 */
final class LocalClaims {
    /** The writer's role number; readers are 0 to 63. */
    static final int WRITER = -1;

    private record Claim(long ringId, int role) {
    }

    private static final Set<Claim> OPEN = ConcurrentHashMap.newKeySet();

    private LocalClaims() {
    }

    static boolean isOpen(long ringId, int role) {
        return OPEN.contains(new Claim(ringId, role));
    }

    static void open(long ringId, int role) {
        OPEN.add(new Claim(ringId, role));
    }

    static void close(long ringId, int role) {
        OPEN.remove(new Claim(ringId, role));
    }
}
