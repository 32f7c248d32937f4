package io.ipcarc.cli;

/** A failure the tool reports as one line on stderr with a specific exit code. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /**
     * @param message the line to print, as {@code cause: key=value, ...}
     * @param exitCode one of {@link ExitCodes}
     */
    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** @return the exit code to end with */
    int exitCode() {
        return exitCode;
    }
}
