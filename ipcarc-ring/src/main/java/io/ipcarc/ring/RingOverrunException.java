package io.ipcarc.ring;

import io.ipcarc.IpcArcException;

/**
 * An entry a reader was reading in place was overwritten before its handler returned. Only
 * possible when a lossy writer takes over from a lossless one while the handler runs: what the
 * handler made of that entry must be discarded. The reader's position stays at the entry.
 */
public class RingOverrunException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the ring, the reader and the sequence
     * @param segment the ring's segment name
     */
    public RingOverrunException(String message, String segment) {
        super(message, segment);
    }
}
