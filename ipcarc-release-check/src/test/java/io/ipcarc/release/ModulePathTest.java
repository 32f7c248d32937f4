package io.ipcarc.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The published jars on the module path, as an application module uses them: an application
 * (src/test/resources/module-path-app) is compiled against {@code ipcarc-api}, {@code ipcarc-ring}
 * and {@code ipcarc-posix} as named modules (jnr-ffi's jars as automatic ones) and run in a JVM
 * of this JDK with nothing on the class path. On JDK 22+ it uses the FFM binding and, granted
 * {@code --enable-native-access=io.ipcarc.posix}, prints no warning; without the grant the JDK
 * warns and names the module, which shows the grant is what silences it. On JDK 17-21 it uses
 * jnr-ffi, generated classes and all, from the module path.
 */
class ModulePathTest {
    private static final Path ROOT = Path.of(required("ipcarc.release.root")).toAbsolutePath().normalize();
    private static final String VERSION = required("ipcarc.release.version");
    private static final int FEATURE = Runtime.version().feature();

    private Path work;
    private String prefix;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createTempDirectory("ipcarc-module-path");
        prefix = "/ipcarc-test-" + ProcessHandle.current().pid() + "-modpath";
    }

    @AfterEach
    void tearDown() throws IOException {
        for (String s : List.of("-point", "-ring")) {
            Files.deleteIfExists(Path.of("/dev/shm" + prefix + s));
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldRunAnApplicationModuleWithoutAnyWarning() throws Exception {
        Path classes = compileApp();
        List<String> options = new ArrayList<>();
        if (FEATURE >= 22) {
            options.add("--enable-native-access=io.ipcarc.posix");
        }
        Run run = runApp(classes, options);

        assertThat(run.exit).as("exit code; stderr: %s", run.err).isZero();
        assertThat(run.out).isEqualTo("point=Point[x=2, y=3] ring=1000/1000");
        assertThat(run.err).as("stderr").isEmpty();
        assertThat(run.bindings).as("bindings loaded").containsExactly(FEATURE >= 22 ? "FfmBinding" : "JnrBinding");
    }

    @Test
    void shouldHaveTheJdkNameTheModuleWhenNativeAccessIsNotGranted() throws Exception {
        Path classes = compileApp();
        Run run = runApp(classes, List.of());

        assertThat(run.exit).as("exit code; stderr: %s", run.err).isZero();
        assertThat(run.out).isEqualTo("point=Point[x=2, y=3] ring=1000/1000");
        if (FEATURE >= 22) {
            assertThat(run.err).contains("--enable-native-access=io.ipcarc.posix");
        } else {
            assertThat(run.err).as("JDK " + FEATURE + " restricts no native access").isEmpty();
        }
    }

    /** What one run of the application did. */
    private record Run(int exit, String out, String err, List<String> bindings) {
    }

    private Path compileApp() throws IOException {
        Path src = Path.of("src/test/resources/module-path-app").toAbsolutePath();
        Path out = work.resolve("classes");
        // An empty class path: the in-process javac would otherwise take this JVM's.
        Path none = Files.createDirectories(work.resolve("no-class-path"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror", "-d", out.toString(),
                "--class-path", none.toString(), "--module-path", modulePath()));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertThat(rc).as("javac of the application module: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }

    private Run runApp(Path classes, List<String> options) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Path loaded = work.resolve("classes.txt");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m"));
        command.addAll(options);
        command.addAll(List.of("-Xlog:class+load=info:file=" + loaded, "--module-path",
                classes + File.pathSeparator + modulePath(), "-m", "io.ipcarc.modapp/io.ipcarc.modapp.App", prefix));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the application did not end within 2 minutes: " + command);
        }
        List<String> log = Files.readAllLines(loaded, StandardCharsets.UTF_8);
        List<String> bindings = new ArrayList<>();
        for (String line : log) {
            for (String b : List.of("FfmBinding", "JnrBinding")) {
                if (line.contains(" io.ipcarc.posix.sys." + b + " ")) {
                    bindings.add(b);
                }
            }
        }
        return new Run(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip(), bindings);
    }

    /**
     * The published jars of the three modules, built by this reactor, and the jars of jnr-ffi,
     * jffi and ASM from this test's class path (ipcarc-posix's dependencies).
     */
    private static String modulePath() {
        List<String> path = new ArrayList<>();
        for (String m : List.of("ipcarc-api", "ipcarc-posix", "ipcarc-ring")) {
            Path jar = ROOT.resolve(m).resolve("target").resolve(m + "-" + VERSION + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new UncheckedIOException(new IOException("not built: " + jar + " (run mvn package first)"));
            }
            path.add(jar.toString());
        }
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("/com/github/jnr/") || e.contains("/org/ow2/asm/")) {
                path.add(e);
            }
        }
        return String.join(File.pathSeparator, path);
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property not set: " + property + " (set by the module's POM)");
        }
        return v;
    }
}
