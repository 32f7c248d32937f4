package io.ipcarc;

/**
 * The state of a segment's process-shared lock, read from the mutex's own words without
 * taking it (so reading it changes nothing).
 *
 * @param state free, held, owner died, or not recoverable
 * @param pid the process that holds it (or held it when it died), 0 if unknown
 * @param tid the thread that holds it (or held it when it died), 0 if unknown
 * @param repairPending whether a holder died inside a guard and no guard that reported
 *     {@link Guard#ownerDied()} has closed normally since: the next {@code acquire()} in any
 *     process will report it
 * @param deadOwnerPid the pid of that dead holder, 0 if none or unknown
 */
public record LockInfo(State state, int pid, int tid, boolean repairPending, int deadOwnerPid) {

    /**
     * A lock state with no repair pending.
     *
     * @param state free, held, owner died, or not recoverable
     * @param pid the process that holds it, 0 if unknown
     * @param tid the thread that holds it, 0 if unknown
     */
    public LockInfo(State state, int pid, int tid) {
        this(state, pid, tid, false, 0);
    }

    /** What the lock's words say. */
    public enum State {
        /** Nobody holds the lock. */
        FREE,
        /** A live thread holds the lock. */
        HELD,
        /** The holder died while holding it; the next acquirer gets {@code ownerDied()}. */
        OWNER_DIED,
        /** Released without being made consistent after an owner died; unusable for ever. */
        NOT_RECOVERABLE
    }

    /** The lock of a segment that has none to read (foreign or unreadable files). */
    public static final LockInfo UNKNOWN = new LockInfo(State.FREE, 0, 0);

    /**
     * A short human description.
     *
     * @return for example {@code free}, {@code held pid=12 tid=13}, {@code owner-died pid=12 tid=13} or
     *     {@code free, repair-pending dead-owner-pid=12}
     */
    public String describe() {
        String s = switch (state) {
            case FREE -> "free";
            case HELD -> "held pid=" + pid + " tid=" + tid;
            case OWNER_DIED -> "owner-died pid=" + pid + " tid=" + tid;
            case NOT_RECOVERABLE -> "not-recoverable";
        };
        return repairPending ? s + ", repair-pending dead-owner-pid=" + deadOwnerPid : s;
    }
}
