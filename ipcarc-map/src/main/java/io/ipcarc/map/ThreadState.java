package io.ipcarc.map;

import io.ipcarc.PayloadGuard;

/**
 * What one thread keeps per map handle: the scratch array its keys are encoded into, and the
 * stripe locks it holds during a write (in the order taken), so that a write allocates nothing
 * of its own.
 */
final class ThreadState {
    /** A key's stored bytes, for keys that are encoded before hashing. */
    final byte[] keyBytes;
    /** The guard of each stripe this thread holds, by stripe; {@code null} where it holds none. */
    final PayloadGuard[] guards;
    /** The stripes held, in the order taken. */
    final int[] held;
    /** How many of {@link #held} are in use. */
    int heldCount;
    /** Whether a write of this thread is in progress (a write inside a compute function is refused). */
    boolean writing;
    /** Whether the write in progress changed the map. */
    boolean changed;

    ThreadState(int keyStride, int stripes) {
        this.keyBytes = new byte[keyStride];
        this.guards = new PayloadGuard[stripes];
        this.held = new int[stripes];
    }
}
