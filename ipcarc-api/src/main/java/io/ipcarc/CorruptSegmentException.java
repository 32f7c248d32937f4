package io.ipcarc;

/**
 * The object under that name is not a usable IpcArc segment: a foreign or truncated file, another
 * layout version, a size that does not match its header, a creator that died before the segment
 * was ready, or a mutex left unrecoverable.
 */
public class CorruptSegmentException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     */
    public CorruptSegmentException(String message, String segment) {
        super(message, segment);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     * @param cause the underlying cause
     */
    public CorruptSegmentException(String message, String segment, Throwable cause) {
        super(message, segment, cause);
    }
}
