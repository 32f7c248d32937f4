package io.ipcarc.ring;

import io.ipcarc.IpcArcException;

/** A reader id or the writer role of a ring is held by a live holder, in this process or another. */
public class RingSlotBusyException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the ring, the role and the holder's pid
     * @param segment the ring's segment name
     */
    public RingSlotBusyException(String message, String segment) {
        super(message, segment);
    }
}
