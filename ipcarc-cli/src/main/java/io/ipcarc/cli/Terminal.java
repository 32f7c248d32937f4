package io.ipcarc.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The terminal {@code ipcarc top} draws on: keys read one at a time, without echo, from
 * {@code /dev/tty} ({@code stty -icanon -echo}, through {@code /bin/sh}; Ctrl-C still sends
 * SIGINT), the screen redrawn in the terminal's alternate screen with the cursor hidden. The
 * terminal is given back as it was ({@code stty} with the settings saved first, main screen, cursor
 * shown) by {@link #close()} and, if the JVM ends another way (Ctrl-C, SIGTERM), by a shutdown hook.
 */
final class Terminal implements AutoCloseable {
    private static final String ALTERNATE_SCREEN = "\033[?1049h";
    private static final String MAIN_SCREEN = "\033[?1049l";
    private static final String HIDE_CURSOR = "\033[?25l";
    private static final String SHOW_CURSOR = "\033[?25h";
    private static final String HOME = "\033[H";
    private static final String CLEAR_TO_LINE_END = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";

    private final PrintWriter out;
    private final String saved;
    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread hook = new Thread(this::restore, "ipcarc-top-terminal");

    private Terminal(PrintWriter out, String saved) {
        this.out = out;
        this.saved = saved;
    }

    /**
     * Whether this JVM's standard output is a terminal that {@code top} can draw on: fd 1 is a tty
     * ({@code [ -t 1 ]} in a shell that inherits it), {@code /dev/tty} can be read, and {@code TERM}
     * is not {@code dumb}.
     *
     * @return whether to draw a live screen; false means plain snapshots
     */
    static boolean stdoutIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", "[ -t 1 ] && [ -r /dev/tty ]")
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Takes the terminal: saves its settings, turns off line buffering and echo, switches to the
     * alternate screen and starts reading keys.
     *
     * @param out the terminal's output
     * @return the terminal, to close when done
     */
    static Terminal open(PrintWriter out) {
        String saved = stty("-g").trim();
        Terminal t = new Terminal(out, saved);
        Runtime.getRuntime().addShutdownHook(t.hook);
        stty("-icanon -echo min 1 time 0");
        Thread reader = new Thread(t::readKeys, "ipcarc-top-keys");
        reader.setDaemon(true);
        reader.start();
        out.print(ALTERNATE_SCREEN + HIDE_CURSOR);
        out.flush();
        return t;
    }

    private void readKeys() {
        try (InputStream in = new FileInputStream("/dev/tty")) {
            int c;
            while ((c = in.read()) >= 0) {
                keys.add(c);
            }
        } catch (IOException e) {
            keys.add(-1); // the terminal went away: like a quit
        }
    }

    /**
     * @param nanos the longest wait
     * @return the next key pressed, -1 if the terminal went away, or {@code null} if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    Integer key(long nanos) throws InterruptedException {
        return keys.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** @return the terminal's lines and columns, as {@code stty size} says; 24 and 80 if it cannot */
    int[] size() {
        String[] rc = stty("size").trim().split("\\s+");
        try {
            int rows = Integer.parseInt(rc[0]);
            int cols = Integer.parseInt(rc[1]);
            return rows > 0 && cols > 0 ? new int[] {rows, cols} : new int[] {24, 80};
        } catch (RuntimeException e) {
            return new int[] {24, 80};
        }
    }

    /**
     * Redraws the screen: the lines from the top left, each line's rest and the rest of the screen
     * cleared; no newline after the last line, so that a full screen does not scroll.
     *
     * @param lines at most the terminal's height, each at most its width
     */
    void draw(List<String> lines) {
        StringBuilder sb = new StringBuilder(HOME);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i)).append(CLEAR_TO_LINE_END);
            if (i < lines.size() - 1) {
                sb.append("\r\n");
            }
        }
        sb.append(CLEAR_BELOW);
        out.print(sb);
        out.flush();
    }

    private void restore() {
        if (restored.compareAndSet(false, true)) {
            out.print(SHOW_CURSOR + MAIN_SCREEN);
            out.flush();
            stty(saved);
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook ran or runs, and restores only once
        }
    }

    /** Runs {@code stty ARGS < /dev/tty} and returns what it printed. */
    private static String stty(String args) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", "stty " + args + " < /dev/tty")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new CliException("stty failed: args=" + args + ", exit=" + p.exitValue(), ExitCodes.FAILURE);
            }
            return printed;
        } catch (IOException e) {
            throw new CliException("cannot run stty: " + e.getMessage(), ExitCodes.FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted running stty: args=" + args, ExitCodes.FAILURE);
        }
    }
}
