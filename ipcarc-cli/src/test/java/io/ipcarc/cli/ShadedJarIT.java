package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The executable jar as users run it ({@code java -jar ipcarc-cli/target/ipcarc.jar}): the
 * shaded ServiceLoader entries find the implementation and the ring's payload formatter, and a
 * record is decoded although the jar does not contain its class. Runs in the integration-test phase, after package.
 */
@Timeout(120)
class ShadedJarIT {
    private static final Path JAR = Path.of("target", "ipcarc.jar");

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private record Run(int code, List<String> out, List<String> err) {
    }

    private static Run ipcarc(String... args) throws IOException, InterruptedException {
        // As users run it: the manifest, not the command line, grants native access.
        JavaCommand cmd = JavaCommand.current().withoutLibraryOptions().jar(JAR, args);
        Path out = Files.createTempFile("ipcarc-out", ".txt");
        Path err = Files.createTempFile("ipcarc-err", ".txt");
        try {
            Process p = cmd.processBuilder().redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", cmd).isTrue();
            return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void shouldDecodeRecordFromDescriptorAloneWhenRunAsExecutableJar() throws Exception {
        assertThat(JAR).exists();
        String name = sandbox.name("jar");
        ChildJvm creator = sandbox.start("create-wait", name, "point");
        creator.awaitLine("CREATED", ShmSandbox.START);

        Run inspect = ipcarc("inspect", name);

        assertThat(inspect.err()).isEmpty();
        assertThat(inspect.code()).isZero();
        assertThat(inspect.out()).anyMatch(l -> l.matches("value +Point\\{x=1, y=2\\.5}"))
                .anyMatch(l -> l.startsWith(creator.pid() + " ") && l.endsWith("alive"));
        try (var jar = new java.util.jar.JarFile(JAR.toFile())) {
            assertThat(jar.getEntry("io/ipcarc/testing/Records$Point.class")).as("the jar lacks the record").isNull();
        }
    }

    @Test
    void shouldDescribeARingThroughTheShadedPayloadFormatterService() throws Exception {
        String name = sandbox.name("jar-ring");
        try (io.ipcarc.ring.Ring<Long> ring = io.ipcarc.ring.Ring.create(name, Long.class,
                io.ipcarc.ring.RingOptions.defaults().withCapacity(16).withReservedReaders(2))) {
            Run inspect = ipcarc("inspect", name);
            assertThat(inspect.code()).isZero();
            assertThat(inspect.out()).anyMatch(l -> l.matches("value +ring capacity=16 entry=8B readers=8 write=0 writer=none"
                    + " registered=\\[2: detached position=0 lag=0 lost=0]"));
        }
    }

    @Test
    void shouldExitWithDocumentedCodesAndOneLineErrors() throws Exception {
        Run help = ipcarc("gc", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Exit codes:");

        Run missing = ipcarc("rm", sandbox.name("absent"));
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).hasSize(1);
        assertThat(missing.err().get(0)).startsWith("ipcarc rm: segment not found");

        Run usage = ipcarc("frobnicate");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).hasSize(1);
    }
}
