package io.ipcarc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/** How a {@link Child} command talks to its test: lines on standard input, go files, parking until killed. */
final class ChildIo {
    private static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private ChildIo() {
    }

    /**
     * The next line on standard input.
     *
     * @return the line, or null at its end
     */
    static String readLine() {
        try {
            return STDIN.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flushes what was printed, then waits for a line on standard input. */
    static void awaitGo() {
        System.out.flush();
        readLine();
    }

    /** Reads standard input until the line {@code expected}. */
    static void awaitLine(String expected) {
        while (!expected.equals(readLine())) {
            Thread.onSpinWait();
        }
    }

    /** Spins until the file exists: several children that wait for one go file start at once. */
    static void spinUntilExists(Path go) {
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
    }

    /** Flushes what was printed, then parks until the process is killed. */
    static void parkForever() {
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }

    /**
     * Runs an action and tells how it ended.
     *
     * @return {@code ok}, or the exception's simple class name and message
     */
    static String outcome(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }
}
