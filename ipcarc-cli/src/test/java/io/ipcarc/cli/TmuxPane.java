package io.ipcarc.cli;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A real terminal for tests that look at the tool as a person would: a tmux server of its own (its
 * own socket, so no other tmux is touched) with one detached session of a given size running a
 * shell command; the test types into it ({@code send-keys}) and reads the screen
 * ({@code capture-pane -p}). Closing it kills that server and what runs in it.
 */
final class TmuxPane implements AutoCloseable {
    private static final String SESSION = "test";
    private final String socket;

    private TmuxPane(String socket) {
        this.socket = socket;
    }

    /**
     * @param width columns
     * @param height lines
     * @param command the shell command the session runs
     * @return the running session
     */
    static TmuxPane start(int width, int height, String command) {
        TmuxPane p = new TmuxPane("ipcarc-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        p.tmux("new-session", "-d", "-x", String.valueOf(width), "-y", String.valueOf(height), "-s", SESSION, command);
        return p;
    }

    /** @return the screen as it is now, one entry per line of the terminal */
    List<String> screen() {
        String text = tmux("capture-pane", "-p", "-t", SESSION);
        return Arrays.asList((text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).split("\n", -1));
    }

    /**
     * Waits until the screen satisfies {@code match}.
     *
     * @param what what is awaited, for the failure message
     * @param match the condition
     * @param timeout how long to wait
     * @return the screen that matched
     */
    List<String> await(String what, Predicate<List<String>> match, Duration timeout) {
        AtomicReference<List<String>> last = new AtomicReference<>(List.of());
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                last.set(screen());
                return match.test(last.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the terminal never showed " + what + "; last screen:\n" + String.join("\n", last.get()), e);
        }
        return last.get();
    }

    /** @param keys tmux key names or text, such as {@code q}, {@code Enter}, {@code C-c} */
    void send(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("tmux failed: " + cmd + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux (the tests need it: Debian package tmux): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + cmd, e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no tmux: start() failed already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
