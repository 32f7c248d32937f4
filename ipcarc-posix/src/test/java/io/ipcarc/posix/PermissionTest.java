package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.Child;
import io.ipcarc.testing.PortableClasspath;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.ipcarc.posix.sys.ProcessIds;

/**
 * File modes across users: child JVMs run as uid 65534 (nobody) through setpriv, against
 * segments created by this JVM (root). Needs root and setpriv, as in CI.
 */
@Timeout(180)
class PermissionTest {
    private static final Duration START = ShmSandbox.START;
    private static final int NOBODY = 65534;
    private static PortableClasspath classpath;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @BeforeAll
    static void copyClasspath() {
        assumeTrue(ProcessIds.SELF_PID > 0 && "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root and /usr/bin/setpriv to switch users");
        classpath = new PortableClasspath();
    }

    @AfterAll
    static void deleteClasspath() {
        if (classpath != null) {
            classpath.close();
        }
    }

    private ChildJvm loadAs(int uid, int gid, String name) {
        return sandbox.add(ChildJvm.startAs(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups"), classpath.classPath(), List.of("-XX:-UsePerfData"), Child.class, "try-load", name));
    }

    @Test
    void shouldRefuseLoadByAnotherUserWithEaccesAndChangeNothingWhenMode0600() throws Exception {
        String name = sandbox.name("mode600");
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 7L, ArcOptions.defaults().withMode(0600))) {
            assertThat(Files.getPosixFilePermissions(ShmNames.file(name))).hasSize(2);
            byte[] before = Files.readAllBytes(ShmNames.file(name));

            ChildJvm other = loadAs(NOBODY, NOBODY, name);
            String line = other.awaitLine("FAILED", START);
            assertThat(line).startsWith("FAILED io.ipcarc.IpcArcException errno=EACCES segment=" + name + " ")
                    .contains("errno=EACCES").contains("name=" + name);
            assertThat(other.awaitExit(START)).isZero();

            assertThat(Files.readAllBytes(ShmNames.file(name))).as("the failed attempt changed nothing").isEqualTo(before);
            assertThat(arc.refCount()).isEqualTo(1);
            assertThat(arc.read()).isEqualTo(7L);
        }
    }

    @Test
    void shouldLetProcessOfSharedGroupLoadWhenMode0660ButNotOtherGroups() {
        String name = sandbox.name("mode660");
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 8L, ArcOptions.defaults().withMode(0660))) {
            ChildJvm stranger = loadAs(NOBODY, NOBODY, name);
            assertThat(stranger.awaitLine("FAILED", START)).contains("errno=EACCES");

            // The segment belongs to group 0 (this JVM's group): a process of that group may use it.
            ChildJvm member = loadAs(NOBODY, 0, name);
            assertThat(member.awaitLine("LOADED", START)).isEqualTo("LOADED value=8 refCount=2");
            assertThat(member.awaitExit(START)).isZero();
            assertThat(arc.refCount()).isEqualTo(1);
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }
}
