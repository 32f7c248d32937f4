package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.sys.Binding;

/**
 * How a JVM chooses its native binding ({@link Binding}): the default per JDK, a forced
 * {@code -Dipcarc.native=jnr}, and the clear errors for a bad value and for {@code ffm} on a JDK
 * older than 22. Runs on every JDK the build runs on; prints the binding of the test JVM as
 * {@code ipcarc binding: NAME}, which .ci/run checks.
 */
class BindingSelectionTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldUseFfmOnJdk22AndLaterAndJnrBeforeUnlessForced() {
        String forced = System.getProperty(Binding.PROPERTY, "").trim();
        int feature = Runtime.version().feature();
        String expected = !forced.isEmpty() ? forced : feature >= 22 ? "ffm" : "jnr";
        System.out.println("ipcarc binding: " + Binding.CURRENT.name() + " (java.version=" + System.getProperty("java.version")
                + (forced.isEmpty() ? ", default" : ", forced by -D" + Binding.PROPERTY + "=" + forced) + ")");
        assertThat(Binding.CURRENT.name()).isEqualTo(expected);
    }

    @Test
    void shouldWorkWithJnrWhenForced() {
        String name = names.next("jnr");
        try (ChildJvm child = ChildJvm.start(List.of("-D" + Binding.PROPERTY + "=jnr"), BindingChild.class, name)) {
            assertThat(child.awaitExit(RUN)).as("%s", child).isZero();
            assertThat(child.lines()).as("%s", child).contains("binding=jnr", "DONE");
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldRefuseUnknownBindingClearly() {
        String name = names.next("bad");
        try (ChildJvm child = ChildJvm.start(List.of("-D" + Binding.PROPERTY + "=jni"), BindingChild.class, name)) {
            assertThat(child.awaitExit(RUN)).as("%s", child).isNotZero();
            assertThat(child.lines()).as("%s", child)
                    .anyMatch(l -> l.contains("unknown native binding: -Dipcarc.native=jni (use jnr or ffm)"))
                    .noneMatch(l -> l.startsWith("DONE"));
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldRefuseFfmBeforeJdk22Clearly() {
        Path java = olderJava().orElseGet(() -> fail("this test needs a JDK older than 22: run the build on one, or install"
                + " one under /usr/lib/jvm (the project's machines have JDK 17), or name its java with -Dipcarc.test.oldJava="));
        String name = names.next("oldffm");
        try (ChildJvm child = ChildJvm.startWith(java, List.of("-D" + Binding.PROPERTY + "=ffm"), BindingChild.class, name)) {
            assertThat(child.awaitExit(RUN)).as("%s", child).isNotZero();
            assertThat(child.lines()).as("%s", child)
                    .anyMatch(l -> l.contains("-Dipcarc.native=ffm needs JDK 22 or later: java.version="))
                    .noneMatch(l -> l.startsWith("DONE"));
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    /**
     * This JVM's java if it is older than 22, else the newest JDK 17 to 21 under /usr/lib/jvm.
     *
     * @return a java older than 22, if there is one ({@code -Dipcarc.test.oldJava} names one)
     */
    static Optional<Path> olderJava() {
        String named = System.getProperty("ipcarc.test.oldJava");
        if (named != null) {
            return Optional.of(Path.of(named));
        }
        if (Runtime.version().feature() < 22) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.map(p -> p.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(j -> JavaCommand.javaFeature(j) >= 17 && JavaCommand.javaFeature(j) < 22)
                    .max(Comparator.comparingInt(JavaCommand::javaFeature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
