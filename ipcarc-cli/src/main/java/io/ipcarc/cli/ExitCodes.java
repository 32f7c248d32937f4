package io.ipcarc.cli;

/** The exit codes of every ipcarc command, as listed in {@code --help}. */
final class ExitCodes {
    /** The command did what was asked. */
    static final int OK = 0;
    /** A system call or I/O failed. */
    static final int FAILURE = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** No segment has that name. */
    static final int NOT_FOUND = 3;
    /** Refused: live holders without --force, not an IpcArc segment, or replaced meanwhile. */
    static final int REFUSED = 4;
    /** This user may not open the segment (EACCES, EPERM). */
    static final int PERMISSION = 5;

    /** The lines {@code --help} shows, in picocli's {@code key:value} form. */
    static final String[] HELP = {
        "0:success",
        "1:failure: a system call or I/O failed",
        "2:usage error: bad command line",
        "3:not found: no segment has that name",
        "4:refused: live holders (rm without --force), not an IpcArc segment, or replaced meanwhile",
        "5:permission denied: this user may not open it (EACCES)",
    };

    private ExitCodes() {
    }
}
