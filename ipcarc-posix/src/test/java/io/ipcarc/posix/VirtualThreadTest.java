package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipcarc.testing.Child;
import io.ipcarc.testing.ChildJvm;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * pthread mutexes are owned by OS threads, so a virtual thread must be refused. Virtual threads
 * exist from JDK 21: the child runs on a JDK 21+ found under /usr/lib/jvm (this project's
 * machines have Temurin 25).
 */
class VirtualThreadTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldRefuseToAcquireOnVirtualThread() {
        Optional<Path> java = modernJava();
        assumeTrue(java.isPresent(), "no JDK 21+ under /usr/lib/jvm");
        String name = names.next("virtual");
        try (ChildJvm child = ChildJvm.startWith(java.get(), List.of(), Child.class, "virtual", name)) {
            assertThat(child.awaitExit(Duration.ofSeconds(60))).as("%s", child).isZero();
            assertThat(child.lines()).anyMatch(l -> l.startsWith("REFUSED cannot acquire an IpcArc lock on a virtual thread: name=" + name));
            assertThat(child.lines()).contains("ACQUIRED 1");
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    private static Optional<Path> modernJava() {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(p -> p.getFileName().toString().matches(".*-(2[1-9]|[3-9][0-9])(-.*|\\.\\d.*|)$"))
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
