package io.ipcarc.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A separate JVM started with the current {@code java} and classpath (or, through
 * {@link #command(List)}, any other program), whose output lines are collected so a test can
 * wait for them. Child JVMs get {@link #libraryOptions(int)}: native access on JDK 22+, and the
 * parent's binding choice.
 */
public final class ChildJvm implements AutoCloseable {
    /** The system property that chooses the native binding of ipcarc-posix. */
    private static final String BINDING_PROPERTY = "ipcarc.native";

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
     * Starts {@code mainClass} with {@code args} in a new JVM.
     *
     * @param jvmOptions extra JVM options such as {@code -Dx=y}
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        return startWith(currentJava(), jvmOptions, mainClass, args);
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
        return launch(List.of(java.toString()), javaFeature(java), System.getProperty("java.class.path"), jvmOptions, mainClass,
                args);
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
        launcher.add(currentJava().toString());
        return launch(launcher, Runtime.version().feature(), classPath, jvmOptions, mainClass, args);
    }

    /**
     * The options that make a child JVM use the library as this JVM does: on JDK 22 and later
     * {@code --enable-native-access=ALL-UNNAMED} (else the java.lang.foreign binding makes the
     * JDK print a warning), and this JVM's {@code -Dipcarc.native} choice, if any, so that a test
     * run forced onto one binding uses it in its children too.
     *
     * @param feature the child's JDK feature release, e.g. 17 or 25
     * @return the options, possibly none
     */
    public static List<String> libraryOptions(int feature) {
        List<String> options = new ArrayList<>();
        if (feature >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        String binding = System.getProperty(BINDING_PROPERTY);
        if (binding != null) {
            options.add("-D" + BINDING_PROPERTY + "=" + binding);
        }
        return options;
    }

    /**
     * The feature release of a {@code java} executable, for example 17 or 25.
     *
     * @param java a {@code java} executable
     * @return its feature release, read from the {@code release} file of its installation (the
     *     running JDK's own if that file cannot be read)
     */
    public static int javaFeature(Path java) {
        Path home = java.toAbsolutePath().getParent().getParent();
        if (home.equals(Path.of(System.getProperty("java.home")).toAbsolutePath())) {
            return Runtime.version().feature();
        }
        try {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring("JAVA_VERSION=".length()).replace("\"", "")).feature();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // fall through
        }
        return Runtime.version().feature();
    }

    private static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static ChildJvm launch(List<String> launcher, int feature, String classPath, List<String> jvmOptions,
                                   Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xmx96m");
        cmd.addAll(libraryOptions(feature));
        cmd.addAll(jvmOptions); // after the library options: a test's own -Dipcarc.native wins
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return spawn(cmd, String.join(" ", args));
    }

    /**
     * Starts any program, not only a JVM (a C or Python peer of the conformance tests), and
     * collects its output lines (standard error included) the same way.
     *
     * @param command the program and its arguments
     * @return the running child
     */
    public static ChildJvm command(List<String> command) {
        return spawn(command, String.join(" ", command));
    }

    private static ChildJvm spawn(List<String> command, String label) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            return new ChildJvm(pb.start(), label);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + ": " + e, e);
        }
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM, with no extra JVM options.
     *
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
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

    /**
     * Waits until the child printed a line starting with {@code prefix}.
     *
     * @param prefix the start of the line
     * @param timeout how long to wait
     * @return the line
     */
    public String awaitLine(String prefix, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(5))
                .failFast(() -> {
                    if (finished() && lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                        // The output as it is when the child is found gone, not when the wait began; the exit
                        // code tells a crash or a signal (128+N, e.g. 137 for SIGKILL) from a normal exit.
                        throw new AssertionError("child " + label + " exited before printing " + prefix
                                + ": exit=" + process.exitValue() + ", output=" + lines);
                    }
                })
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
     * @throws AssertionError if kill(1) cannot run or fails
     */
    public void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed: exit " + p.exitValue());
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted sending SIG" + name + " to " + process.pid(), e);
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
