package io.ipcarc.bench;

import io.ipcarc.launcher.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A C program of the suite's resources, built with gcc at run time in a temporary directory
 * (deleted by {@link #close()}): the suite's physical floors.
 */
public final class NativeProgram implements AutoCloseable {
    private final Path dir;
    private final Path binary;
    private final String failure;

    private NativeProgram(Path dir, Path binary, String failure) {
        this.dir = dir;
        this.binary = binary;
        this.failure = failure;
    }

    /**
     * Returns the program, built or not ({@link #failure()} says why not).
     *
     * @param source the name of a C source among this class's resources, such as {@code pthread_pair.c}
     * @param libraries extra gcc arguments after the source, such as {@code -pthread}
     * @return the program, built or not ({@link #failure()} says why not)
     */
    public static NativeProgram build(String source, String... libraries) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ipcarc-bench-c");
            Path src = dir.resolve(source);
            try (InputStream in = NativeProgram.class.getResourceAsStream(source)) {
                Files.copy(in, src);
            }
            Path bin = dir.resolve(source.replace(".c", ""));
            List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-O2", "-o", bin.toString(), src.toString()));
            cmd.addAll(List.of(libraries));
            List<String> out = run(cmd);
            return Files.isExecutable(bin) ? new NativeProgram(dir, bin, null)
                    : new NativeProgram(dir, null, "gcc build failed: " + String.join(" ", out));
        } catch (IOException e) {
            return new NativeProgram(dir, null, "cannot build " + source + ": " + e.getMessage());
        }
    }

    /**
     * Returns the built file (a program, or a shared library when built with {@code -shared}).
     *
     * @return the built file (a program, or a shared library when built with {@code -shared})
     */
    public Path binary() {
        return binary;
    }

    /**
     * Returns why the program could not be built, or null if it was.
     *
     * @return why the program could not be built, or null if it was
     */
    public String failure() {
        return failure;
    }

    /**
     * Returns its output lines (stdout and stderr).
     *
     * @param args its arguments
     * @return its output lines (stdout and stderr)
     * @throws IOException if it cannot be started or read
     */
    public List<String> run(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a command to its end (at most 30 minutes), its output lines collected; what keeps it from running is an IOException. */
    private static List<String> run(List<String> cmd) throws IOException {
        try (ChildJvm p = ChildJvm.command(cmd)) {
            p.awaitExit(Duration.ofMinutes(30));
            return p.lines();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
