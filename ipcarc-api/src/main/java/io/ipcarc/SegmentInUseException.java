package io.ipcarc;

/**
 * A segment was not removed because processes still hold it.
 */
public class SegmentInUseException extends IpcArcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole message, naming the segment and the live holders
     * @param segment the normalised segment name
     */
    public SegmentInUseException(String message, String segment) {
        super(message, segment);
    }
}
