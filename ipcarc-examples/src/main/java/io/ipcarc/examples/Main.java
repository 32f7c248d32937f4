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
     */
    public static void main(String[] args) {
        String cmd = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int code = switch (cmd) {
            case "demo", "counter" -> CounterDemo.run(rest);
            case "counter-worker" -> CounterDemo.worker(rest);
            case "help", "--help", "-h" -> usage(0);
            default -> {
                System.err.println("unknown command: " + cmd);
                yield usage(2);
            }
        };
        System.exit(code);
    }

    private static int usage(int code) {
        (code == 0 ? System.out : System.err).println(String.join("\n",
                "usage: java -jar ipcarc-examples.jar COMMAND [ARGS]",
                "commands:",
                "  demo                                      the main demo (for now: counter)",
                "  counter [--workers N] [--increments N]   two or more processes increment one IpcArc<Long>",
                "exit codes: 0 success, 1 a check failed, 2 bad usage"));
        return code;
    }
}
