package io.ipcarc;

/**
 * A held {@link PayloadLock}; released by {@link #close()} on the thread that acquired it.
 */
public interface PayloadGuard extends AutoCloseable {
    /**
     * Whether a holder of this lock died holding it, and no guard that saw that has closed
     * normally since: what the lock guards may be half-changed and needs the structure's repair.
     * Closing this guard normally ends that state for everyone.
     *
     * @return true if a holder died inside
     */
    boolean ownerDied();

    /**
     * Whether this guard still holds the lock.
     *
     * @return false once closed
     */
    boolean isHeld();

    /** Releases the lock; only by the acquiring thread. Idempotent. */
    @Override
    void close();
}
