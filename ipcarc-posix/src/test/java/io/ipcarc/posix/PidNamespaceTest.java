package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.SegmentInfo;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two processes in separate PID namespaces sharing a segment, as containers sharing /dev/shm do
 * (each is pid 1 of its own namespace, started with {@code unshare --pid --fork --mount-proc},
 * so their main threads also have the same thread id): neither reaps the other's live holder,
 * the refcount stays exact, the segment is unlinked only after the last close, and the count
 * both increment under the lock is exact although glibc reports their thread ids as equal.
 * Needs root (CAP_SYS_ADMIN for the namespaces), as in CI.
 */
@Timeout(300)
class PidNamespaceTest {
    private static final Duration START = ShmSandbox.START;
    private static final int INCREMENTS = 20_000;
    private static final List<String> UNSHARE = List.of("/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child");

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @BeforeAll
    static void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(UNSHARE.get(0))),
                "needs root and " + UNSHARE.get(0) + " to make PID namespaces");
    }

    private ChildJvm inNamespace(String name) {
        return sandbox.add(ChildJvm.startAs(UNSHARE, System.getProperty("java.class.path"), List.of(),
                io.ipcarc.testing.Child.class, "ns-worker", name, String.valueOf(INCREMENTS)));
    }

    @Test
    void shouldShareASegmentAcrossPidNamespacesWithoutReapingLiveHolders() {
        String name = sandbox.name("pidns");
        IpcArc<Long> mine = IpcArc.create(name, 0L);
        ChildJvm a = inNamespace(name);
        assertThat(a.awaitLine("LOADED", START)).isEqualTo("LOADED pid=1 refCount=2");
        ChildJvm b = inNamespace(name);
        assertThat(b.awaitLine("LOADED", START)).as("b's load reaped nobody").isEqualTo("LOADED pid=1 refCount=3");

        a.send("GO");
        b.send("GO");
        assertThat(a.awaitLine("COUNTED", START)).isEqualTo("COUNTED refCount=3");
        assertThat(b.awaitLine("COUNTED", START)).isEqualTo("COUNTED refCount=3");
        assertThat(mine.read()).as("mutual exclusion across namespaces").isEqualTo(2L * INCREMENTS);

        SegmentInfo seen = IpcArcs.inspect(name);
        assertThat(seen.liveHolders()).as("every holder is alive, whatever pid it recorded").hasSize(3);
        assertThat(seen.holders().stream().filter(h -> h.pid() == 1)).hasSize(2);

        mine.close();
        assertThat(ShmNames.exists(name)).isTrue();
        a.send("CLOSE");
        a.awaitLine("CLOSED", START);
        assertThat(a.awaitExit(START)).isZero();
        assertThat(ShmNames.exists(name)).as("b still holds it: a's close did not reap b").isTrue();
        assertThat(IpcArcs.inspect(name).refCount()).isEqualTo(1);
        try (IpcArc<Long> again = IpcArc.load(name, Long.class)) {
            assertThat(again.read()).isEqualTo(2L * INCREMENTS);
            assertThat(again.refCount()).isEqualTo(2);
        }
        assertThat(ShmNames.exists(name)).isTrue();
        b.send("CLOSE");
        b.awaitLine("CLOSED", START);
        assertThat(b.awaitExit(START)).isZero();
        assertThat(ShmNames.exists(name)).as("unlinked by the last close, in another namespace").isFalse();
    }

    @Test
    void shouldReapAHolderKilledInAnotherPidNamespace() {
        String name = sandbox.name("pidns-dead");
        try (IpcArc<Long> mine = IpcArc.create(name, 0L)) {
            ChildJvm a = inNamespace(name);
            a.awaitLine("LOADED", START);
            assertThat(mine.refCount()).isEqualTo(2);
            a.kill(); // unshare dies; --kill-child sends SIGKILL to the JVM in the namespace
            await().atMost(START).until(() -> IpcArcs.inspect(name).liveHolders().size() == 1);
            try (IpcArc<Long> other = IpcArc.load(name, Long.class)) {
                assertThat(other.refCount()).as("the dead holder was reaped by this load").isEqualTo(2);
            }
            assertThat(IpcArcs.inspect(name).deadHolders()).isEmpty();
        }
    }
}
