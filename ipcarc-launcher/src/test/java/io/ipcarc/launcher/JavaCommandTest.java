package io.ipcarc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaCommandTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void shouldComposePrefixJavaLibraryOptionsOwnOptionsClassPathMainAndArguments() {
        List<String> cmd = JavaCommand.current().withPrefix(List.of("/usr/bin/env", "A=1")).withOptions("-Xmx32m")
                .withOptions(List.of("-Dx=y")).withClassPath("/a:/b").main(EchoChild.class, "one", "two").toList();

        List<String> expected = new java.util.ArrayList<>(List.of("/usr/bin/env", "A=1", JAVA));
        expected.addAll(JavaCommand.libraryOptions(Runtime.version().feature()));
        expected.addAll(List.of("-Xmx32m", "-Dx=y", "-cp", "/a:/b", EchoChild.class.getName(), "one", "two"));
        assertThat(cmd).isEqualTo(expected);
    }

    @Test
    void shouldUseThisJvmsClassPathUnlessTold() {
        assertThat(JavaCommand.current().main("some.Main").toList()).containsSubsequence("-cp",
                System.getProperty("java.class.path"), "some.Main");
    }

    @Test
    void shouldGrantNativeAccessFromJdk22On() {
        assertThat(JavaCommand.nativeAccessOptions(21)).isEmpty();
        assertThat(JavaCommand.nativeAccessOptions(22)).containsExactly("--enable-native-access=ALL-UNNAMED");
        assertThat(JavaCommand.libraryOptions(17)).doesNotContain("--enable-native-access=ALL-UNNAMED");
        assertThat(JavaCommand.libraryOptions(25)).contains("--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void shouldPassThisJvmsBindingChoiceOn() {
        String before = System.getProperty(JavaCommand.BINDING_PROPERTY);
        try {
            System.setProperty(JavaCommand.BINDING_PROPERTY, "jnr");
            assertThat(JavaCommand.libraryOptions(17)).containsExactly("-Dipcarc.native=jnr");
            System.clearProperty(JavaCommand.BINDING_PROPERTY);
            assertThat(JavaCommand.libraryOptions(17)).isEmpty();
        } finally {
            if (before != null) {
                System.setProperty(JavaCommand.BINDING_PROPERTY, before);
            }
        }
    }

    @Test
    void shouldRunAnExecutableJarWithoutClassPathAndWithoutLibraryOptionsWhenAsked() {
        List<String> cmd = JavaCommand.current().withoutLibraryOptions().withOptions("-Xmx32m").jar(Path.of("app.jar"), "inspect", "/x")
                .toList();

        assertThat(cmd).containsExactly(JAVA, "-Xmx32m", "-jar", "app.jar", "inspect", "/x");
    }

    @Test
    void shouldReadTheFeatureReleaseOfThisJava() {
        assertThat(JavaCommand.javaFeature(Path.of(JAVA))).isEqualTo(Runtime.version().feature());
        assertThat(JavaCommand.of(Path.of(JAVA)).feature()).isEqualTo(Runtime.version().feature());
    }

    @Test
    void shouldRefuseACommandWithNothingToRunAndANegativeGrace() {
        assertThatThrownBy(() -> JavaCommand.current().toList()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing to run");
        assertThatThrownBy(() -> JavaCommand.current().withCloseGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace=PT-1S");
    }

    @Test
    void shouldLeaveTheOriginalUnchanged() {
        JavaCommand base = JavaCommand.current().main("a.B");
        base.withOptions("-Xmx1g").withPrefix(List.of("nice"));

        assertThat(base.toList()).doesNotContain("-Xmx1g", "nice");
    }
}
