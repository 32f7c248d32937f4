package io.ipcarc.bench;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One JDK the core benchmarks run on, and the native binding ipcarc-posix uses there: FFM on
 * JDK 22 and later when this jar holds the FFM binding (it does when it was built on JDK 22+),
 * jnr-ffi otherwise. The JMH forks are started with that JDK's {@code java} and with
 * {@code -Dipcarc.native} set to the binding, so the name in the report is the one that ran.
 *
 * @param java the {@code java} executable
 * @param version its {@code java.runtime.version}
 * @param feature its feature release (17, 25, ...)
 * @param binding {@code jnr} or {@code ffm}
 */
public record JdkTarget(Path java, String version, int feature, String binding) {

    /**
     * Returns how the report names it, for example {@code JDK 25.0.3, ffm}.
     *
     * @return how the report names it, for example {@code JDK 25.0.3, ffm}
     */
    public String label() {
        return "JDK " + version + ", " + binding;
    }

    /**
     * Returns a short name for figure keys and chart labels, for example {@code jdk25-ffm}.
     *
     * @return a short name for figure keys and chart labels, for example {@code jdk25-ffm}
     */
    public String tag() {
        return "jdk" + feature + "-" + binding;
    }

    /**
     * Returns the JVM options a fork of this JDK needs: native access (22+) and the binding.
     *
     * @return the JVM options a fork of this JDK needs: native access (22+) and the binding
     */
    public List<String> forkOptions() {
        List<String> options = new ArrayList<>(JavaCommand.nativeAccessOptions(feature));
        options.add("-Dipcarc.native=" + binding);
        options.add("-Xmx256m");
        return options;
    }

    /**
     * Returns the JDK, its version read from the JDK itself.
     *
     * @param home a JDK's home directory, or its {@code java} executable
     * @return the JDK, its version read from the JDK itself
     * @throws IllegalArgumentException if there is no runnable {@code java} there
     */
    public static JdkTarget of(Path home) {
        Path java = Files.isDirectory(home) ? home.resolve("bin").resolve("java") : home;
        if (!Files.isExecutable(java)) {
            throw new IllegalArgumentException("no java executable: --jdk " + home);
        }
        String version = null;
        try (ChildJvm p = ChildJvm.command(List.of(java.toString(), "-XshowSettings:properties", "-version"))) {
            p.awaitExit(Duration.ofMinutes(2));
            for (String line : p.lines()) {
                String t = line.trim();
                if (t.startsWith("java.runtime.version = ")) {
                    version = t.substring("java.runtime.version = ".length()).trim();
                }
            }
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cannot run " + java + ": " + e.getMessage(), e);
        }
        if (version == null) {
            throw new IllegalArgumentException("cannot read the version of " + java);
        }
        int feature = Runtime.Version.parse(version).feature();
        boolean ffmInJar = JdkTarget.class.getResource("/io/ipcarc/posix/sys/FfmBinding.class") != null;
        return new JdkTarget(java, version, feature, feature >= 22 && ffmInJar ? "ffm" : "jnr");
    }

    /**
     * Returns the JDK running this suite.
     *
     * @return the JDK running this suite
     */
    public static JdkTarget current() {
        return of(Path.of(System.getProperty("java.home")));
    }
}
