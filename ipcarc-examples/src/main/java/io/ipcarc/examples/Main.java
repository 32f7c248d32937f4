package io.ipcarc.examples;

import java.util.Arrays;

/**
 * Entry point of {@code ipcarc-examples.jar}: {@code java -jar ipcarc-examples.jar COMMAND ...}.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args a command and its arguments
     * @throws Exception when a demo is interrupted
     */
    public static void main(String[] args) throws Exception {
        String cmd = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int code;
        try {
            code = switch (cmd) {
                case "demo" -> RingDemo.run(rest);
                case "writer" -> WriterApp.run(rest);
                case "reporter" -> ReporterApp.run(rest);
                case "verify" -> VerifyApp.run(rest);
                case "counter" -> CounterDemo.run(rest);
                case "counter-worker" -> CounterDemo.worker(rest);
                case "help", "--help", "-h" -> usage(0);
                default -> {
                    System.err.println("unknown command: " + cmd);
                    yield usage(2);
                }
            };
        } catch (Options.UsageException e) {
            System.err.println("usage error: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    private static int usage(int code) {
        (code == 0 ? System.out : System.err).println(String.join("\n",
                "usage: java -jar ipcarc-examples.jar COMMAND [ARGS]",
                "commands:",
                "  " + RingDemo.USAGE,
                "      the main demo: writer + 2 crash-safe CSV reporters as separate processes, one killed and restarted",
                "  " + WriterApp.USAGE,
                "  " + ReporterApp.USAGE,
                "  " + VerifyApp.USAGE,
                "  counter [--workers N] [--increments N]   processes increment one IpcArc<Long> under its lock",
                "exit codes: 0 success, 1 a check or the run failed, 2 bad usage"));
        return code;
    }
}
