package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.Child;
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
 * Virtual threads (JDK 21+) may use every method, and none pins a carrier while it waits: a
 * child on the newest JDK under /usr/lib/jvm (this project's machines have Temurin 25), with
 * two carrier threads, runs 256 virtual threads that increment under the lock beside a platform
 * thread, 64 that sleep in awaitChange while a new virtual thread must still start at once,
 * tryAcquire and a timed acquire against a virtual holder, and a raw read() that must wait for a
 * platform writer instead of failing.
 */
class VirtualThreadTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldLetManyMoreVirtualThreadsThanCarriersUseEveryMethodWithoutPinning() {
        Optional<Path> java = modernJava();
        assumeTrue(java.isPresent(), "no JDK 21+ under /usr/lib/jvm");
        String name = names.next("virtual");
        try (ChildJvm child = ChildJvm.startWith(java.get(), List.of("-Djdk.virtualThreadScheduler.parallelism=2",
                "-Djdk.virtualThreadScheduler.maxPoolSize=2"), Child.class, "virtual-many", name)) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as("%s", child).isZero();
            assertThat(child.lines()).contains("COUNT 25700 failures=0", "WOKE 64", "TRY busy TIMED timeout", "RAW_READ 42");
            String ran = child.lines().stream().filter(l -> l.startsWith("NEW_VIRTUAL_THREAD_RAN_WITHIN_MS ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no probe line: " + child.lines()));
            assertThat(Long.parseLong(ran.substring(ran.lastIndexOf(' ') + 1)))
                    .as("64 virtual threads asleep in awaitChange pin no carrier").isLessThan(5_000);
        }
        boolean rawLeft = ShmNames.exists(name + "-raw");
        ShmNames.file(name + "-raw").toFile().delete(); // the child's second segment, unlinked by it unless it failed
        assertThat(ShmNames.exists(name)).isFalse();
        assertThat(rawLeft).as("the child closed its raw segment").isFalse();
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
