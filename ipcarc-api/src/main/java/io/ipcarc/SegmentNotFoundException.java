package io.ipcarc;

/**
 * No segment of that name exists, or it was unlinked while it was being loaded.
 */
public class SegmentNotFoundException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     */
    public SegmentNotFoundException(String message, String segment) {
        super(message, segment);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     * @param cause the underlying cause
     */
    public SegmentNotFoundException(String message, String segment, Throwable cause) {
        super(message, segment, cause);
    }
}
