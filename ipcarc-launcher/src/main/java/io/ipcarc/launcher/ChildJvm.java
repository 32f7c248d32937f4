package io.ipcarc.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process, usually a JVM started by a {@link JavaCommand}, whose output lines (standard
 * error included) are collected so that its parent can wait for them. The static
 * {@code start} methods are the tests' shorthand: a {@link JavaCommand#SMALL_JVM small JVM} of
 * this {@code java} and class path. Closing it kills the child if it still runs (after the
 * command's {@link JavaCommand#withCloseGrace(Duration) close grace}).
 */
public final class ChildJvm implements AutoCloseable {
    private static final long POLL_NANOS = 5_000_000L;

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String label;
    private final Duration closeGrace;
    private final Thread reader;

    private ChildJvm(Process process, String label, Duration closeGrace) {
        this.process = process;
        this.label = label;
        this.closeGrace = closeGrace;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "child-output-" + label);
        t.setDaemon(true);
        t.start();
        this.reader = t;
    }

    static ChildJvm spawn(List<String> command, String label, Duration closeGrace) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            return new ChildJvm(pb.start(), label, closeGrace);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + ": " + e, e);
        }
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new small JVM of this {@code java} and class path.
     *
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new small JVM of this {@code java} and class path.
     *
     * @param jvmOptions extra JVM options such as {@code -Dx=y}, after the library options
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        return small(JavaCommand.current(), jvmOptions).main(mainClass, args).start();
    }

    /**
     * Starts {@code mainClass} in a new small JVM of another Java installation.
     *
     * @param java the {@code java} executable
     * @param jvmOptions extra JVM options
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm startWith(Path java, List<String> jvmOptions, Class<?> mainClass, String... args) {
        return small(JavaCommand.of(java), jvmOptions).main(mainClass, args).start();
    }

    /**
     * Starts {@code mainClass} in a new small JVM launched through a command prefix, for example
     * {@code setpriv --reuid=65534 ...} to run it as another user.
     *
     * @param prefix the command and arguments that run {@code java}, or an empty list
     * @param classPath the class path of the new JVM (readable by the user it runs as)
     * @param jvmOptions extra JVM options
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm startAs(List<String> prefix, String classPath, List<String> jvmOptions, Class<?> mainClass,
                                   String... args) {
        return small(JavaCommand.current().withPrefix(prefix).withClassPath(classPath), jvmOptions).main(mainClass, args).start();
    }

    private static JavaCommand small(JavaCommand command, List<String> jvmOptions) {
        return command.withOptions(JavaCommand.SMALL_JVM).withOptions(jvmOptions);
    }

    /**
     * Starts any program, not only a JVM (a C or Python peer of the conformance tests), and
     * collects its output lines (standard error included) the same way.
     *
     * @param command the program and its arguments
     * @return the running child
     */
    public static ChildJvm command(List<String> command) {
        return spawn(command, String.join(" ", command), Duration.ZERO);
    }

    /**
     * Whether the process ended and its output was read to the end.
     *
     * @return true once the process ended and all it printed has been collected (the output
     *     thread reached the end of the pipe); callers poll it within their own timeouts
     */
    private boolean finished() {
        if (process.isAlive()) {
            return false;
        }
        try {
            reader.join(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !reader.isAlive();
    }

    /**
     * The operating-system process id of the child.
     *
     * @return the child's pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * What the child printed so far, one entry per line.
     *
     * @return the lines it printed so far
     */
    public List<String> lines() {
        return lines;
    }

    private Optional<String> firstLine(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
    }

    /**
     * Waits until the child printed a line starting with {@code prefix}.
     *
     * @param prefix the start of the line
     * @param timeout how long to wait
     * @return the first such line
     * @throws IllegalStateException if the child ends without printing it (with its exit code:
     *     128+N for a signal N, e.g. 137 for SIGKILL, and what it printed), or the time runs out
     */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = firstLine(prefix);
            if (line.isPresent()) {
                return line.get();
            }
            if (finished()) {
                // The output as it is when the child is found gone, not when the wait began.
                return firstLine(prefix).orElseThrow(() -> new IllegalStateException("child exited before printing the line: child="
                        + label + ", prefix=" + prefix + ", exit=" + process.exitValue() + ", output=" + lines));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("child did not print the line in time: child=" + label + ", prefix=" + prefix
                        + ", timeout=" + timeout + ", alive=" + process.isAlive() + ", output=" + lines);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Waits for the child to exit and its output to be collected.
     *
     * @param timeout how long to wait
     * @return its exit code
     * @throws IllegalStateException if it still runs when the time runs out
     */
    public int awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!finished()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("child did not exit in time: child=" + label + ", pid=" + process.pid() + ", timeout="
                        + timeout + ", output=" + lines);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return process.exitValue();
    }

    /**
     * Writes one line to the child's standard input.
     *
     * @param line the line, without its newline
     */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to child " + label + ": " + e, e);
        }
    }

    /**
     * Counts the lines the child printed that start with a prefix.
     *
     * @param prefix the start of a line
     * @return how many lines starting with {@code prefix} the child printed so far
     */
    public long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /**
     * Sends SIGKILL and waits until the process is gone. Everything the child printed before the
     * signal is still collected: the signal goes through the process handle, because
     * {@link Process#destroyForcibly()} also closes the pipes and loses what is unread in them.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGTERM, keeping the pipes open so that what the child prints while it stops is collected. */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Sends a signal by name with kill(1), for the ones Java cannot send ({@code STOP}, {@code CONT}).
     *
     * @param name the signal's name without {@code SIG}
     * @throws IllegalStateException if kill(1) cannot run or fails
     */
    public void signal(String name) {
        signal(process.pid(), name);
    }

    /**
     * Sends a signal by name to any process with kill(1), for the ones Java cannot send
     * ({@code STOP}, {@code CONT}).
     *
     * @param pid the process
     * @param name the signal's name without {@code SIG}
     * @throws IllegalStateException if kill(1) cannot run or fails
     */
    public static void signal(long pid, String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill failed: signal=" + name + ", pid=" + pid + ", exit=" + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill: signal=" + name + ", pid=" + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending a signal: signal=" + name + ", pid=" + pid, e);
        }
    }

    /**
     * Whether the child process still runs.
     *
     * @return whether it still runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the child if it still runs, after letting it end by itself for the command's close grace. */
    @Override
    public void close() {
        if (process.isAlive() && !closeGrace.isZero()) {
            try {
                process.waitFor(closeGrace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + label + ", pid=" + process.pid() + ", output=" + lines + "]";
    }
}
