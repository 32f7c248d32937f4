package io.ipcarc;

/**
 * Proof that this thread holds a segment's process-shared lock; closing it releases the lock.
 *
 * <pre>{@code
 * try (Guard<Long> g = counter.acquire()) {
 *     if (g.ownerDied()) {
 *         // the previous holder died while holding the lock: check or repair the value
 *     }
 *     g.set(g.get() + 1);
 * }
 * }</pre>
 *
 * <p>A guard belongs to the thread that acquired it: {@link #close()} on any other thread
 * throws {@link IllegalStateException} and leaves the lock held (and usable by its owner).
 * Using a guard after it was closed throws {@link IllegalStateException}.
 *
 * @param <T> the payload type
 */
public interface Guard<T> extends AutoCloseable {

    /**
     * Reads the payload.
     *
     * @return a new copy of the value
     */
    T get();

    /**
     * Replaces the payload.
     *
     * @param value the new value
     */
    void set(T value);

    /**
     * Whether the previous holder died while it held the lock. The payload may then be
     * half-written; the application decides how to repair it. The lock itself has already been
     * made consistent again, so later guards see {@code false}.
     *
     * @return true if this acquisition recovered the lock from a dead holder
     */
    boolean ownerDied();

    /**
     * A writable zero-copy view of the payload, valid while this guard is open. On a
     * crash-atomic segment the first call copies the committed value into the guard's shadow
     * copy, and the view writes the shadow: the writes become the value only when this guard
     * closes normally. Use {@link #view()} to read without copying.
     *
     * @return the payload's bytes, starting at offset 0
     */
    SharedBuffer buffer();

    /**
     * A read-only zero-copy view of the value as this guard sees it (the committed value, or
     * this guard's own writes once it has written), valid while this guard is open. Never copies.
     *
     * @return the payload's bytes, starting at offset 0
     */
    SharedView view();

    /**
     * Whether this guard still holds the lock.
     *
     * @return false once closed
     */
    boolean isHeld();

    /**
     * Releases the lock. Idempotent on the owning thread.
     *
     * @throws IllegalStateException if called from a thread other than the one that acquired it
     */
    @Override
    void close();
}
