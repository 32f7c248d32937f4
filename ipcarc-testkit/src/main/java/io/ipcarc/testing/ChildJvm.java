package io.ipcarc.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A separate JVM started with the current {@code java} and classpath, whose output lines are
 * collected so a test can wait for them.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String label;
    private final Thread reader;

    private ChildJvm(Process process, String label) {
        this.process = process;
        this.label = label;
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

    /** @return true once the process ended and all it printed has been collected */
    private boolean finished() {
        if (process.isAlive()) {
            return false;
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM.
     *
     * @param jvmOptions extra JVM options such as {@code -Dx=y}
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        return startWith(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions, mainClass, args);
    }

    /**
     * Starts {@code mainClass} in a new JVM of another Java installation.
     *
     * @param java the {@code java} executable
     * @param jvmOptions extra JVM options
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm startWith(Path java, List<String> jvmOptions, Class<?> mainClass, String... args) {
        return launch(List.of(java.toString()), System.getProperty("java.class.path"), jvmOptions, mainClass, args);
    }

    /**
     * Starts {@code mainClass} in a new JVM launched through a command prefix, for example
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
        List<String> launcher = new ArrayList<>(prefix);
        launcher.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return launch(launcher, classPath, jvmOptions, mainClass, args);
    }

    private static ChildJvm launch(List<String> launcher, String classPath, List<String> jvmOptions, Class<?> mainClass,
                                   String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xmx96m");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        try {
            return new ChildJvm(pb.start(), String.join(" ", args));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child JVM: " + cmd, e);
        }
    }

    /** @see #start(List, Class, String...) */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /** @return the lines it printed so far */
    public List<String> lines() {
        return lines;
    }

    /**
     * Waits until the child printed a line starting with {@code prefix}.
     *
     * @param prefix the start of the line
     * @param timeout how long to wait
     * @return the line
     */
    public String awaitLine(String prefix, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(5))
                .failFast("child " + label + " exited before printing " + prefix + ": output=" + lines,
                        () -> finished() && lines.stream().noneMatch(l -> l.startsWith(prefix)))
                .until(() -> lines.stream().anyMatch(l -> l.startsWith(prefix)));
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout how long to wait
     * @return its exit code
     */
    public int awaitExit(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(this::finished);
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

    /** @return how many lines starting with {@code prefix} the child printed so far */
    public long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** Sends SIGKILL and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + label + ", pid=" + process.pid() + ", output=" + lines + "]";
    }
}
