package io.ipcarc.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code ipcarc} command-line tool: {@code ls}, {@code inspect}, {@code top}, {@code gc} and
 * {@code rm} for the IpcArc segments of this host.
 */
@Command(name = "ipcarc", mixinStandardHelpOptions = true, version = "ipcarc 0.1.0",
        description = {"Lists, inspects, watches and cleans up IpcArc shared-memory segments (/dev/shm).",
            "Errors are one line on stderr and a non-zero exit code; --verbose adds stack traces and the library's log."},
        subcommands = {LsCommand.class, InspectCommand.class, TopCommand.class, GcCommand.class, RmCommand.class})
public final class Main implements Runnable {
    /** Held strongly: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("io.ipcarc");

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces with errors, and the library's INFO log (reaped holders, removals).")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private Main() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: ls, inspect, top, gc or rm");
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /**
     * Runs the tool without exiting.
     *
     * @param args the command line
     * @param out where normal output goes
     * @param err where errors go
     * @return the exit code, one of those listed in {@code --help}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        LIBRARY_LOG.setLevel(verbose ? Level.INFO : Level.WARNING);
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorHandler errors = new ErrorHandler(verbose);
        cl.setOut(out).setErr(err).setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        document(cl, codes);
        return cl.execute(args);
    }

    private static void document(CommandLine cl, Map<String, String> codes) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            document(sub, codes);
        }
    }
}
