package io.ipcarc.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command line of a child JVM that uses IpcArc as this JVM does: a {@code java} executable
 * (this JVM's, or another installation's), {@link #libraryOptions(int) the library options},
 * the caller's JVM options, then a main class on a class path or an executable jar, then the
 * arguments; optionally behind a prefix that runs {@code java} (as another user, in another
 * namespace). Immutable: each {@code with...} returns a new command.
 *
 * <pre>{@code
 * try (ChildJvm worker = JavaCommand.current().withOptions("-Xmx64m").main(Worker.class, "go").start()) {
 *     worker.awaitLine("DONE", Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * A child started with {@code -cp} does not see the {@code Enable-Native-Access} attribute of an
 * executable jar's manifest, so on JDK 22 and later it gets {@code --enable-native-access=ALL-UNNAMED}
 * on its command line (else the java.lang.foreign binding makes the JDK print a warning); a
 * {@code -Dipcarc.native=jnr|ffm} given to this JVM is passed on, so that a run forced onto one
 * binding uses it in its children too.
 */
public final class JavaCommand {
    /** The system property that chooses the native binding of ipcarc-posix, passed on to children. */
    public static final String BINDING_PROPERTY = "ipcarc.native";

    /**
     * The options of a small JVM that starts quickly: what the tests start by the dozen on a
     * shared machine (serial GC, the C1 compiler only, 96 MiB of heap).
     */
    public static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx96m");

    private final List<String> prefix;
    private final Path java;
    private final int feature;
    private final boolean libraryOptions;
    private final List<String> options;
    private final String classPath;
    private final String mainClass;
    private final Path jar;
    private final List<String> args;
    private final Duration closeGrace;

    private JavaCommand(List<String> prefix, Path java, int feature, boolean libraryOptions, List<String> options, String classPath,
                        String mainClass, Path jar, List<String> args, Duration closeGrace) {
        this.prefix = List.copyOf(prefix);
        this.java = java;
        this.feature = feature;
        this.libraryOptions = libraryOptions;
        this.options = List.copyOf(options);
        this.classPath = classPath;
        this.mainClass = mainClass;
        this.jar = jar;
        this.args = List.copyOf(args);
        this.closeGrace = closeGrace;
    }

    /**
     * This JVM's {@code java}, with this JVM's class path and the library options.
     *
     * @return a command with nothing to run yet ({@link #main(Class, String...)} or {@link #jar(Path, String...)})
     */
    public static JavaCommand current() {
        return new JavaCommand(List.of(), currentJava(), Runtime.version().feature(), true, List.of(),
                System.getProperty("java.class.path"), null, null, List.of(), Duration.ZERO);
    }

    /**
     * The {@code java} of another installation, with this JVM's class path and the library
     * options of that installation's feature release ({@link #javaFeature(Path)}).
     *
     * @param java a {@code java} executable
     * @return a command with nothing to run yet
     */
    public static JavaCommand of(Path java) {
        Objects.requireNonNull(java, "java");
        return current().with(List.of(), java, javaFeature(java), true);
    }

    private JavaCommand with(List<String> newPrefix, Path newJava, int newFeature, boolean newLibraryOptions) {
        return new JavaCommand(newPrefix, newJava, newFeature, newLibraryOptions, options, classPath, mainClass, jar, args,
                closeGrace);
    }

    /**
     * Runs {@code java} through a command, for example {@code setpriv --reuid=65534 ...} to run
     * it as another user, or {@code unshare ...} in new namespaces.
     *
     * @param command the command and its arguments, in front of {@code java}
     * @return the new command
     */
    public JavaCommand withPrefix(List<String> command) {
        return with(command, java, feature, libraryOptions);
    }

    /**
     * Leaves out {@link #libraryOptions(int)}: for a JVM that does not use IpcArc, or an
     * executable jar run exactly as users run it (its manifest grants native access).
     *
     * @return the new command
     */
    public JavaCommand withoutLibraryOptions() {
        return with(prefix, java, feature, false);
    }

    /**
     * Adds JVM options, after the library options and those added before (so a
     * {@code -Dipcarc.native} given here wins over the one passed on).
     *
     * @param jvmOptions options such as {@code -Dx=y} or {@code -Xmx64m}
     * @return the new command
     */
    public JavaCommand withOptions(List<String> jvmOptions) {
        List<String> all = new ArrayList<>(options);
        all.addAll(jvmOptions);
        return new JavaCommand(prefix, java, feature, libraryOptions, all, classPath, mainClass, jar, args, closeGrace);
    }

    /**
     * Adds JVM options; see {@link #withOptions(List)}.
     *
     * @param jvmOptions options such as {@code -Dx=y} or {@code -Xmx64m}
     * @return the new command
     */
    public JavaCommand withOptions(String... jvmOptions) {
        return withOptions(List.of(jvmOptions));
    }

    /**
     * Replaces this JVM's class path, for example by one readable by the user a prefix runs
     * {@code java} as.
     *
     * @param newClassPath the child's class path
     * @return the new command
     */
    public JavaCommand withClassPath(String newClassPath) {
        return new JavaCommand(prefix, java, feature, libraryOptions, options, Objects.requireNonNull(newClassPath, "classPath"),
                mainClass, jar, args, closeGrace);
    }

    /**
     * How long {@link ChildJvm#close()} lets the child end by itself before it kills it: for a
     * child that has printed its result and is still closing its segments. Default zero (killed
     * at once).
     *
     * @param grace the longest wait
     * @return the new command
     */
    public JavaCommand withCloseGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("negative close grace: grace=" + grace);
        }
        return new JavaCommand(prefix, java, feature, libraryOptions, options, classPath, mainClass, jar, args, grace);
    }

    /**
     * Runs a class's {@code main} from the class path.
     *
     * @param main the class whose {@code main} runs
     * @param arguments its arguments
     * @return the new command
     */
    public JavaCommand main(Class<?> main, String... arguments) {
        return main(main.getName(), arguments);
    }

    /**
     * Runs the {@code main} of a class named by its binary name, from the class path: for a
     * class this code does not compile against.
     *
     * @param main the binary name of the class whose {@code main} runs
     * @param arguments its arguments
     * @return the new command
     */
    public JavaCommand main(String main, String... arguments) {
        return new JavaCommand(prefix, java, feature, libraryOptions, options, classPath, Objects.requireNonNull(main, "main"), null,
                List.of(arguments), closeGrace);
    }

    /**
     * Runs an executable jar ({@code java -jar}), its manifest's main class; the class path is not passed.
     *
     * @param executableJar the jar
     * @param arguments its arguments
     * @return the new command
     */
    public JavaCommand jar(Path executableJar, String... arguments) {
        return new JavaCommand(prefix, java, feature, libraryOptions, options, classPath, null,
                Objects.requireNonNull(executableJar, "jar"), List.of(arguments), closeGrace);
    }

    /**
     * The whole command line: prefix, {@code java}, library options, JVM options, then
     * {@code -cp CLASSPATH MAIN} or {@code -jar JAR}, then the arguments.
     *
     * @return the command and its arguments
     * @throws IllegalStateException if nothing to run was given
     */
    public List<String> toList() {
        if (mainClass == null && jar == null) {
            throw new IllegalStateException("nothing to run: give a main class or a jar: java=" + java);
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java.toString());
        if (libraryOptions) {
            cmd.addAll(libraryOptions(feature));
        }
        cmd.addAll(options);
        if (jar != null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(mainClass);
        }
        cmd.addAll(args);
        return cmd;
    }

    /**
     * A process builder for the command, for a caller that directs the output itself (to a file,
     * or to this process's own streams).
     *
     * @return a new process builder of {@link #toList()}
     */
    public ProcessBuilder processBuilder() {
        return new ProcessBuilder(toList());
    }

    /**
     * Starts the command, its output lines (standard error included) collected.
     *
     * @return the running child
     * @throws IllegalStateException if it cannot be started
     */
    public ChildJvm start() {
        return ChildJvm.spawn(toList(), String.join(" ", args), closeGrace);
    }

    /**
     * The feature release of the {@code java} this command runs, for example 17 or 25.
     *
     * @return its feature release
     */
    public int feature() {
        return feature;
    }

    /**
     * The options that make a child JVM use the library as this JVM does: on JDK 22 and later
     * {@code --enable-native-access=ALL-UNNAMED}, and this JVM's {@code -Dipcarc.native} choice,
     * if any.
     *
     * @param javaFeature the child's JDK feature release, e.g. 17 or 25
     * @return the options, possibly none
     */
    public static List<String> libraryOptions(int javaFeature) {
        List<String> result = new ArrayList<>(nativeAccessOptions(javaFeature));
        String binding = System.getProperty(BINDING_PROPERTY);
        if (binding != null) {
            result.add("-D" + BINDING_PROPERTY + "=" + binding);
        }
        return result;
    }

    /**
     * What a JVM of a feature release needs on its command line so that the java.lang.foreign
     * binding links without a warning: {@code --enable-native-access=ALL-UNNAMED} on JDK 22 and
     * later, nothing before (a JVM started with {@code -jar} finds it in the jar's manifest instead).
     *
     * @param javaFeature the JDK feature release, e.g. 17 or 25
     * @return the option, or none
     */
    public static List<String> nativeAccessOptions(int javaFeature) {
        return javaFeature >= 22 ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
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
            // fall through: the running JDK's
        }
        return Runtime.version().feature();
    }

    private static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public String toString() {
        return mainClass == null && jar == null ? "JavaCommand[" + java + ", nothing to run]" : String.join(" ", toList());
    }
}
