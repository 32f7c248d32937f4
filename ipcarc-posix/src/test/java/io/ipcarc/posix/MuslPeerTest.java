package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcOptions.PayloadMode;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ForeignPeers;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.ipcarc.posix.segment.CLibrary;

/**
 * One C library per segment: the same C peer built against musl (musl-gcc) attaches to a
 * segment whose mutexes are glibc's, is refused the admin and user mutexes with an error naming
 * both C libraries, touches neither (Java locks as before, the refcount never counted it), and
 * still reads the value lock-free.
 */
@Timeout(120)
class MuslPeerTest {
    private static final Duration START = ShmSandbox.START;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"CRASH_ATOMIC", "RAW"})
    void shouldRefuseTheLocksToAMuslPeerNamingBothLibrariesAndLetItReadLockFree(PayloadMode mode) {
        String peer = ForeignPeers.executable("musl-gcc", "ipcarc_peer.c"); // the same source as the glibc peer
        String name = sandbox.name("musl");
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 77L, ArcOptions.defaults().withPayloadMode(mode))) {
            ChildJvm musl = sandbox.add(ForeignPeers.start(List.of(peer, "probe", name)));
            assertThat(musl.awaitExit(START)).as("%s", musl).isZero();
            String glibc = CLibrary.NAME;
            assertThat(musl.lines()).first().asString().startsWith("OPENED library=musl lockable=false");
            assertThat(musl.lines().get(1)).startsWith("REGISTER_REFUSED code=8 mutexes of another C library: name=" + name)
                    .contains("segment=" + glibc, "process=musl", "may only read lock-free");
            assertThat(musl.lines().get(2)).startsWith("LOCK_REFUSED code=8 mutexes of another C library")
                    .contains("segment=" + glibc, "process=musl");
            assertThat(musl.lines().get(3)).isEqualTo("READ 77");
            assertThat(musl.lines()).hasSize(4);

            assertThat(arc.refCount()).as("the musl peer never took a reference").isEqualTo(1);
            try (Guard<Long> g = arc.tryAcquire().orElseThrow()) {
                assertThat(g.ownerDied()).isFalse();
                g.set(78L);
            }
            assertThat(ForeignPeers.run(List.of(peer, "probe", name), 60)).contains("READ 78");
        }
    }
}
