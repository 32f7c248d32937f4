package io.ipcarc;

/**
 * {@link IpcArc#read()} met a value that a holder of the lock was writing when it died, on a
 * segment with a {@link ArcOptions.PayloadMode#RAW raw} payload: the value may be half-written,
 * so it is not returned. Repair it under a guard, which reports {@link Guard#ownerDied()}; once
 * that guard closes normally, reads succeed again. Crash-atomic segments never throw this: they
 * return the last committed value.
 */
public class TornValueException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the dead writer
     * @param segment the normalised segment name
     */
    public TornValueException(String message, String segment) {
        super(message, segment);
    }
}
