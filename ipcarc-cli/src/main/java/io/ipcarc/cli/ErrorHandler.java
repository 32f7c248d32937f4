package io.ipcarc.cli;

import io.ipcarc.IpcArcException;
import io.ipcarc.SegmentInUseException;
import io.ipcarc.SegmentNotFoundException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns any failure into one line on stderr and an exit code from {@link ExitCodes}; with
 * {@code --verbose} the stack trace follows.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private final boolean verbose;

    ErrorHandler(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println(command + ": " + e.getMessage() + " (try: " + command + " --help)");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof SegmentNotFoundException) {
            return ExitCodes.NOT_FOUND;
        }
        if (e instanceof SegmentInUseException) {
            return ExitCodes.REFUSED;
        }
        if (e instanceof IpcArcException i && ("EACCES".equals(i.errnoName()) || "EPERM".equals(i.errnoName()))) {
            return ExitCodes.PERMISSION;
        }
        if (e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }
}
