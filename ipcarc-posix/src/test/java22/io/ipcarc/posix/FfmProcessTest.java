package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.testing.ShmNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.sys.Binding;

/**
 * JVMs on this JDK (22+) that use the library as an application does ({@link BindingChild}):
 * by default they take the FFM binding, print no {@code WARNING:} line when started with
 * {@code --enable-native-access=ALL-UNNAMED} (what a user adds; ChildJvm adds it), and load
 * no class of jnr-ffi or jffi. Each check has a control run that shows it can fail.
 */
class FfmProcessTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    /** A class-load log line ({@code -Xlog:class+load}) of a class of jnr-ffi, jffi, or the library's jnr binding. */
    private static final Pattern JNR_CLASS =
            Pattern.compile(".*\\[class,load\\] (jnr\\.|com\\.kenai\\.jffi\\.|io\\.ipcarc\\.posix\\.JnrBinding).*");
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    /** ({@code -Dipcarc.native=} with no value is "choose": it overrides a choice the test run may have forced.) */
    private static final String DEFAULT_BINDING = "-D" + Binding.PROPERTY + "=";

    @Test
    void shouldUseFfmByDefaultAndPrintNoWarning() {
        String name = names.next("nowarn");
        try (ChildJvm child = ChildJvm.start(List.of(DEFAULT_BINDING), BindingChild.class, name)) {
            assertThat(child.awaitExit(RUN)).as("%s", child).isZero();
            assertThat(child.lines()).as("%s", child).contains("binding=ffm", "DONE").noneMatch(l -> l.startsWith("WARNING:"));
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldWarnWithoutNativeAccess() throws Exception {
        // The control of the test above: the same program without the flag makes the JDK warn,
        // on stderr, about the restricted methods the binding calls.
        String name = names.next("warn");
        JavaCommand cmd = JavaCommand.current().withoutLibraryOptions().withOptions("-XX:TieredStopAtLevel=1", DEFAULT_BINDING)
                .main(BindingChild.class, name);
        Path err = Files.createTempFile("ipcarc-stderr", ".txt");
        try {
            Process p = cmd.processBuilder().redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(Files.readAllLines(err, StandardCharsets.UTF_8))
                    .anyMatch(l -> l.startsWith("WARNING: A restricted method in java.lang.foreign"))
                    .anyMatch(l -> l.startsWith("WARNING: Use --enable-native-access=ALL-UNNAMED"));
        } finally {
            Files.deleteIfExists(err);
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldLoadNoClassOfJnrOrJffiOnFfm() {
        List<String> loaded = classLoads(DEFAULT_BINDING, "binding=ffm");
        assertThat(loaded).anyMatch(l -> l.contains("] io.ipcarc.posix.sys.FfmBinding "));
        assertThat(loaded).noneMatch(l -> JNR_CLASS.matcher(l).matches());
    }

    @Test
    void shouldLoadJnrWhenForced() {
        // The control of the test above, and jnr-ffi still working on this JDK.
        List<String> loaded = classLoads("-D" + Binding.PROPERTY + "=jnr", "binding=jnr");
        assertThat(loaded).anyMatch(l -> JNR_CLASS.matcher(l).matches());
        assertThat(loaded).noneMatch(l -> l.contains("] io.ipcarc.posix.sys.FfmBinding "));
    }

    private List<String> classLoads(String bindingOption, String expectedBinding) {
        String name = names.next("classes");
        try (ChildJvm child = ChildJvm.start(List.of(bindingOption, "-Xlog:class+load=info:stdout"), BindingChild.class, name)) {
            assertThat(child.awaitExit(RUN)).as("%s", child).isZero();
            assertThat(child.lines()).contains(expectedBinding, "DONE");
            assertThat(ShmNames.exists(name)).isFalse();
            return child.lines().stream().filter(l -> l.contains("[class,load]")).toList();
        }
    }
}
