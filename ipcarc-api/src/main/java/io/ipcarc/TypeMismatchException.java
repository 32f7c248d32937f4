package io.ipcarc;

/**
 * The segment holds a value of another type than the one asked for. It is thrown before any byte of the payload is read.
 */
public class TypeMismatchException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /** The descriptor asked for, or {@code null}. */
    private final String expected;
    /** The descriptor found, or {@code null}. */
    private final String found;

    /**
     * Creates the exception for two descriptors that differ; the message shows their first
     * difference ({@link ShmLayout#difference(ShmLayout, String)}), these getters the whole texts.
     *
     * @param message the whole message, naming the segment and the first difference
     * @param segment the normalised segment name
     * @param expected the descriptor asked for
     * @param found the descriptor found
     */
    public TypeMismatchException(String message, String segment, String expected, String found) {
        super(message, segment);
        this.expected = expected;
        this.found = found;
    }

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the cause
     * @param segment the normalised segment name
     */
    public TypeMismatchException(String message, String segment) {
        this(message, segment, null, null);
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
        this.expected = cause instanceof TypeMismatchException t ? t.expected : null;
        this.found = cause instanceof TypeMismatchException t ? t.found : null;
    }

    /**
     * The descriptor that was asked for.
     *
     * @return the whole descriptor text, or {@code null} if the failure is not about two descriptors
     */
    public String expected() {
        return expected;
    }

    /**
     * The descriptor that was found.
     *
     * @return the whole descriptor text, or {@code null} if the failure is not about two descriptors
     */
    public String found() {
        return found;
    }
}
