package io.ipcarc;

/**
 * A segment of that name already exists, so it cannot be created.
 */
public class SegmentExistsException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     */
    public SegmentExistsException(String message, String segment) {
        super(message, segment);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     * @param cause the underlying cause
     */
    public SegmentExistsException(String message, String segment, Throwable cause) {
        super(message, segment, cause);
    }
}
