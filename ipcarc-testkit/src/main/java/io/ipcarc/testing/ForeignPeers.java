package io.ipcarc.testing;

import io.ipcarc.launcher.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The C, Python and Rust peers of the interop tests: {@code c/} (ipcarc.h and the programs built
 * from it), {@code python/} and {@code rust/} at the repository root. A missing compiler or
 * interpreter fails the test class loudly, naming what to install: these tests are never skipped.
 *
 * <pre>{@code
 * try (ChildJvm peer = ForeignPeers.start(List.of(ForeignPeers.executable("gcc", "ipcarc_peer.c"), "probe", "/x"))) {
 *     peer.awaitExit(Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class ForeignPeers {
    /** The repository root: the first directory upwards from the working directory that holds c/ipcarc.h. */
    public static final Path ROOT = findRoot();
    private static final Map<String, String> BUILT = new HashMap<>();
    private static Path buildDir;

    private ForeignPeers() {
    }

    private static Path findRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("c/ipcarc.h"))) {
                return p;
            }
        }
        throw new AssertionError("c/ipcarc.h not found above " + System.getProperty("user.dir"));
    }

    /**
     * Builds {@code c/SOURCE} with {@code compiler} (gcc or musl-gcc), warnings as errors, once per
     * test JVM, into a temporary directory removed when the JVM exits.
     *
     * @param compiler the C compiler on the PATH
     * @param source a file name in {@code c/}
     * @return the executable
     */
    public static synchronized String executable(String compiler, String source) {
        return BUILT.computeIfAbsent(compiler + " " + source, k -> compile(compiler, source, buildDir()).toString());
    }

    private static Path buildDir() {
        if (buildDir == null) {
            try {
                Path dir = Files.createTempDirectory("ipcarc-peers");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                buildDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return buildDir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }

    private static Path compile(String compiler, String source, Path dir) {
        require(compiler, compiler.equals("musl-gcc")
                ? "install Debian's musl-tools (apt-get install -y musl-tools; .ci/run does)"
                : "install gcc (apt-get install -y gcc)");
        Path out = dir.resolve(compiler + "-" + source.replace(".c", ""));
        run(List.of(compiler, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", out.toString(),
                ROOT.resolve("c").resolve(source).toString(), "-pthread"), 120);
        return out;
    }

    /**
     * Builds {@code rust/SOURCE} (one file, the standard library only: no crates are reachable)
     * with {@code rustc -O}, once per test JVM, into the same temporary directory.
     *
     * @param source a file name in {@code rust/}
     * @return the executable
     */
    public static synchronized String rustExecutable(String source) {
        return BUILT.computeIfAbsent("rustc " + source, k -> {
            require("rustc", "install Debian's cargo (apt-get install -y cargo; .ci/run does), which brings rustc");
            Path out = buildDir().resolve("rustc-" + source.replace(".rs", ""));
            run(List.of("rustc", "--edition", "2021", "-O", "-D", "warnings", "-o", out.toString(),
                    ROOT.resolve("rust").resolve(source).toString()), 300);
            return out.toString();
        });
    }

    /**
     * The command that runs a script of {@code python/} with python3.
     *
     * @param script a file name in {@code python/}
     * @param args its arguments
     * @return the command
     */
    public static List<String> python(String script, String... args) {
        require("python3", "install python3 (apt-get install -y python3)");
        List<String> cmd = new ArrayList<>(List.of("python3", ROOT.resolve("python").resolve(script).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a command to its end.
     *
     * @param command the program and its arguments
     * @param seconds the longest it may take
     * @return its output lines (standard error included)
     * @throws AssertionError if it fails or takes longer than {@code seconds}
     */
    public static List<String> run(List<String> command, int seconds) {
        Path log = null;
        try {
            log = Files.createTempFile("ipcarc-peer", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + seconds + " s: " + command);
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + ": " + command + "\n" + text);
            }
            return text.lines().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }

    /**
     * Parses the {@code KEY=VALUE} lines a peer prints (its constants, for the drift tests).
     *
     * @param lines the lines
     * @param lastEquals whether the value starts after the last {@code =} of a line (keys holding
     *     {@code =}) or after the first (values holding {@code =})
     * @return the values by key, in the order printed
     * @throws AssertionError if a line is not {@code KEY=VALUE}
     */
    public static Map<String, String> keyValues(List<String> lines, boolean lastEquals) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = lastEquals ? line.lastIndexOf('=') : line.indexOf('=');
            if (eq <= 0) {
                throw new AssertionError("not a KEY=VALUE line: " + line);
            }
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    /**
     * Starts a peer; its output lines are collected like a child JVM's.
     *
     * @param command the program and its arguments
     * @return the running peer (register it with the test's ShmSandbox so that it is killed after the test)
     */
    public static ChildJvm start(List<String> command) {
        return ChildJvm.command(command);
    }

    private static void require(String tool, String install) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new AssertionError(tool + " not found on the PATH: the interop tests need it; " + install, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
