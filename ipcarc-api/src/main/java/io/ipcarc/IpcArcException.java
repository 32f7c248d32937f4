package io.ipcarc;

/**
 * Base class of every failure that IpcArc reports about a shared segment.
 *
 * <p>All IpcArc exceptions are unchecked. Messages are written as {@code key=value} pairs
 * after a short cause, and always name the segment, for example
 * {@code shm_open failed: errno=EACCES, name=/counter}. When the failure comes from a system
 * call, {@link #errno()} gives the error number and {@link #errnoName()} its symbolic name.
 */
public class IpcArcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The normalised segment name with its leading slash, or {@code null} when no segment is concerned. */
    private final String segment;
    /** The error number of the failed system call, or 0 when no system call failed. */
    private final int errno;
    /** The symbolic name of {@link #errno}, such as {@code EACCES}, or {@code null}. */
    private final String errnoName;

    /**
     * Creates an exception about a segment.
     *
     * @param message the whole message; it should name the segment
     * @param segment the normalised segment name, or {@code null} when no segment is concerned
     */
    public IpcArcException(String message, String segment) {
        this(message, segment, 0, null, null);
    }

    /**
     * Creates an exception about a segment with a cause.
     *
     * @param message the whole message; it should name the segment
     * @param segment the normalised segment name, or {@code null}
     * @param cause the underlying cause
     */
    public IpcArcException(String message, String segment, Throwable cause) {
        this(message, segment, 0, null, cause);
    }

    /**
     * Creates an exception that reports a failed system call.
     *
     * @param message the whole message; it should name the segment and the errno
     * @param segment the normalised segment name, or {@code null}
     * @param errno the error number the call reported, or 0
     * @param errnoName the symbolic error name such as {@code EACCES}, or {@code null}
     * @param cause the underlying cause, or {@code null}
     */
    public IpcArcException(String message, String segment, int errno, String errnoName, Throwable cause) {
        super(message, cause);
        this.segment = segment;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /**
     * The segment this failure is about.
     *
     * @return the normalised name with its leading slash, or {@code null}
     */
    public String segment() {
        return segment;
    }

    /**
     * The error number of the failed system call.
     *
     * @return the errno, or 0 when no system call failed
     */
    public int errno() {
        return errno;
    }

    /**
     * The symbolic name of {@link #errno()}.
     *
     * @return for example {@code "EACCES"}, or {@code null} when no system call failed
     */
    public String errnoName() {
        return errnoName;
    }
}
