package io.ipcarc;

import java.time.Duration;

/**
 * The process-shared lock of a segment could not be acquired within the time given.
 */
public class LockTimeoutException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the timeout
     * @param segment the normalised segment name
     * @param timeout how long the caller waited
     */
    public LockTimeoutException(String message, String segment, Duration timeout) {
        super(message, segment);
        this.timeout = timeout;
    }

    /**
     * How long the caller waited before giving up.
     *
     * @return the timeout that expired
     */
    public Duration timeout() {
        return timeout;
    }
}
