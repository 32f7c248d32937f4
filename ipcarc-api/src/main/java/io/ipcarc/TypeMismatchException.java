package io.ipcarc;

/**
 * The segment holds a value of another type than the one asked for. It is thrown before any byte of the payload is read.
 */
public class TypeMismatchException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     */
    public TypeMismatchException(String message, String segment) {
        super(message, segment);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     * @param cause the underlying cause
     */
    public TypeMismatchException(String message, String segment, Throwable cause) {
        super(message, segment, cause);
    }
}
