package io.ipcarc.ring;

/** The state of a reader slot, as stored in the ring. */
public enum ReaderState {
    /** Nobody: a lossless writer does not wait for it; a claim starts where {@link StartFrom} says. */
    FREE(0),
    /** Held by a process that claimed it; if that process died, the next claim takes it over at its position. */
    ACTIVE(1),
    /**
     * Registered without a process: reserved when the ring was created or later, or left by a
     * reader that stopped cleanly. A lossless writer waits for it; a claim resumes at its position.
     */
    DETACHED(2);

    private final int code;

    ReaderState(int code) {
        this.code = code;
    }

    /**
     * Returns the value stored in the ring's reader slot.
     *
     * @return the value stored in the ring's reader slot
     */
    public int code() {
        return code;
    }

    /**
     * Returns whether a lossless writer waits for a slot in this state.
     *
     * @return whether a lossless writer waits for a slot in this state
     */
    public boolean registered() {
        return this != FREE;
    }

    /**
     * Returns the state it stands for.
     *
     * @param code a stored value
     * @return the state it stands for
     * @throws IllegalArgumentException for a value no ring stores
     */
    public static ReaderState of(int code) {
        return switch (code) {
            case 0 -> FREE;
            case 1 -> ACTIVE;
            case 2 -> DETACHED;
            default -> throw new IllegalArgumentException("not a reader state: code=" + code);
        };
    }
}
