package io.ipcarc.bench.xproc;

import io.ipcarc.examples.JvmCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A child JVM of the harness, started with the same java and classpath; its output lines are kept. */
public final class Spawn implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final String label;
    private final Thread reader;

    private Spawn(Process p, String label) {
        this.process = p;
        this.label = label;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // child ended
            }
        }, "out-" + label);
        t.setDaemon(true);
        t.start();
        this.reader = t;
    }

    /** Starts {@code mainClass args} in a new JVM with the harness's JVM options. */
    static Spawn start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /**
     * Starts {@code mainClass args} in a new JVM with the harness's JVM options, then {@code jvmOptions}.
     *
     * @param jvmOptions more JVM options (a baseline's {@code --add-opens}, a system property)
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @return the running child
     */
    public static Spawn start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> cmd = JvmCommand.java(); // the JVM's java, native access on JDK 22+, the -Dipcarc.native choice
        cmd.addAll(List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        try {
            return new Spawn(new ProcessBuilder(cmd).redirectErrorStream(true).start(), String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /**
     * Waits for a line starting with {@code prefix}; fails if the child ends first or the time runs out.
     *
     * @param prefix what the line starts with
     * @param timeoutSeconds how long to wait
     * @return the line
     */
    public String await(String prefix, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            for (String l : lines) {
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                try {
                    reader.join(5_000); // the last lines may still be in the pipe
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (String l : lines) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
                throw new IllegalStateException("child ended before '" + prefix + "': exit=" + process.exitValue() + ", " + label
                        + " output=" + lines);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timeout waiting for '" + prefix + "': " + label + " output=" + lines);
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /**
     * Waits for the child to end.
     *
     * @param timeoutSeconds how long to wait
     * @return its exit code
     */
    public int awaitExit(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child did not end in time: " + label);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return process.exitValue();
    }

    /**
     * The child's process id.
     *
     * @return its pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the child still runs.
     *
     * @return whether it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until the child is gone.
     *
     * @return its exit code (137)
     */
    public int kill() {
        process.destroyForcibly();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + label, e);
        }
    }

    /** Sends SIGTERM; unlike {@link Process#destroy()}, keeps reading what the child prints as it stops. */
    void terminate() {
        process.toHandle().destroy();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                // a child that printed its result is closing its segments: let it finish
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
