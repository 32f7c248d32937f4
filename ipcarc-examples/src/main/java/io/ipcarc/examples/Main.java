package io.ipcarc.examples;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ipcarc-examples.jar}: {@code java -jar ipcarc-examples.jar COMMAND ...}.
 * Every command has {@code --help}; a bad command line is one line on stderr and exit code 2,
 * refused before anything is created.
 */
@Command(name = "ipcarc-examples", mixinStandardHelpOptions = true, version = "ipcarc-examples 0.1.0",
        description = "Runnable IpcArc applications: the seed system's ring writer and crash-safe CSV reporters, and demos.",
        subcommands = {RingDemo.class, WriterApp.class, ReporterApp.class, VerifyApp.class, CounterDemo.class,
            CounterDemo.Worker.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Success. */
    static final int OK = 0;
    /** A check or the run failed. */
    static final int FAILED = 1;
    /** Bad command line. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main() {
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs a command and exits with its exit code.
     *
     * @param args a command and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command without exiting.
     *
     * @param args a command and its arguments
     * @param out where normal output goes
     * @param err where errors go
     * @return the exit code: 0 success, 1 failure, 2 bad usage
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Long.class, Main::number).registerConverter(long.class, Main::number);
        cl.setOut(out).setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("usage error: " + e.getMessage() + " (try: " + c.getCommandSpec().qualifiedName() + " --help)");
            c.getErr().flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println(c.getCommandName() + ": error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            c.getErr().flush();
            return FAILED;
        });
        Map<String, String> codes = new LinkedHashMap<>(); // in order, as in every --help of ipcarc too
        codes.put("0", "success");
        codes.put("1", "a check or the run failed");
        codes.put("2", "bad command line");
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
        return cl.execute(args);
    }

    /** Longs may be written with underscores: {@code 300_000}. */
    private static Long number(String text) {
        return Long.parseLong(text.replace("_", ""));
    }

    /**
     * Returns the exception to throw: a usage error, exit code 2.
     *
     * @param spec the command
     * @param message what is wrong, {@code key=value} style
     * @return the exception to throw: a usage error, exit code 2
     */
    static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), spec.name() + ": " + message);
    }

    /**
     * Runs a check of one option's value, turning its {@link IllegalArgumentException} into a
     * usage error that names the option.
     *
     * @param spec the command
     * @param option the option checked, e.g. {@code --capacity}
     * @param check computes the value, or throws naming the cause
     * @param <T> the value's type
     * @return the value
     */
    static <T> T checked(CommandLine.Model.CommandSpec spec, String option, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw usage(spec, option + ": " + e.getMessage());
        }
    }
}
