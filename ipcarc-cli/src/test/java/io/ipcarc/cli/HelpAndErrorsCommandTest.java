package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.PortableClasspath;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** --help on every command with its exit codes; errors as one line with a non-zero exit code. */
@Timeout(120)
class HelpAndErrorsCommandTest {
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldDocumentExitCodesInHelpOfEveryCommand() {
        for (List<String> cmd : List.of(List.<String>of(), List.of("ls"), List.of("inspect"), List.of("gc"), List.of("rm"))) {
            String[] args = java.util.stream.Stream.concat(cmd.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Cli help = Cli.run(args);
            assertThat(help.code()).as("%s --help", cmd).isZero();
            assertThat(help.out()).as("%s --help", cmd).startsWith("Usage: ipcarc").contains("Exit codes:", "  0   success",
                    "  3   not found", "  4   refused", "  5   permission denied");
            List<String> codes = help.out().substring(help.out().indexOf("Exit codes:")).lines().skip(1)
                    .filter(l -> l.matches("  \\d+ .*")).map(l -> l.trim().split(" ")[0]).toList();
            assertThat(codes).as("%s --help: exit codes in order", cmd).containsExactly("0", "1", "2", "3", "4", "5");
        }
    }

    @Test
    void shouldPrintOneLineErrorWithNonZeroExitAndStackTraceOnlyWhenVerbose() {
        String missing = sandbox.name("missing");
        Cli notFound = Cli.run("inspect", missing);
        assertThat(notFound.code()).isEqualTo(3);
        assertThat(notFound.out()).isEmpty();
        assertThat(notFound.errLines()).containsExactly("ipcarc inspect: segment not found: errno=ENOENT, name=" + missing);

        Cli verbose = Cli.run("inspect", missing, "--verbose");
        assertThat(verbose.code()).isEqualTo(3);
        assertThat(verbose.err()).contains("SegmentNotFoundException", "\tat io.ipcarc.");

        Cli usage = Cli.run("rm", "--no-such-option", "x");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.errLines()).hasSize(1);
        assertThat(usage.err()).startsWith("ipcarc rm: Unknown option: '--no-such-option'");

        Cli badName = Cli.run("inspect", "a/b");
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.errLines()).containsExactly("ipcarc inspect: bad segment name: only the POSIX portable filename"
                + " characters A-Z a-z 0-9 . _ - are allowed (after an optional leading '/'): name=a/b, index=1, char=U+002F");
    }

    @Test
    void shouldExitWithPermissionDeniedWhenAnotherUsersSegmentCannotBeRead() {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and /usr/bin/setpriv to switch users");
        String name = sandbox.name("private");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L); PortableClasspath cp = new PortableClasspath()) {
            for (String[] args : List.of(new String[] {"inspect", name}, new String[] {"rm", "--force", name})) {
                ChildJvm tool = sandbox.add(ChildJvm.startAs(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups"), cp.classPath(), List.of("-XX:-UsePerfData"), Main.class, args));
                assertThat(tool.awaitExit(ShmSandbox.START)).as(String.join(" ", args)).isEqualTo(5);
                assertThat(tool.lines()).hasSize(1);
                assertThat(tool.lines().get(0)).contains("EACCES", "name=" + name);
            }
            assertThat(arc.refCount()).isEqualTo(1);
            assertThat(ShmNames.exists(name)).isTrue();
        }
    }

    @Test
    void shouldRefuseRmForceWithoutTheRightToUnlinkAndChangeNothing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and /usr/bin/setpriv to switch users");
        String name = sandbox.name("shared-rw");
        // Anyone may read and write it, but /dev/shm is sticky: only root (its owner) may unlink the name.
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 5L, ArcOptions.defaults().withMode(0666));
             PortableClasspath cp = new PortableClasspath()) {
            byte[] before = Files.readAllBytes(ShmNames.file(name));
            for (String[] args : List.of(new String[] {"rm", "--force", name}, new String[] {"rm", name})) {
                ChildJvm tool = sandbox.add(ChildJvm.startAs(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups"), cp.classPath(), List.of("-XX:-UsePerfData"), Main.class, args));
                assertThat(tool.awaitExit(ShmSandbox.START)).as(String.join(" ", args) + ": " + tool.lines()).isEqualTo(5);
                assertThat(tool.lines()).hasSize(1);
                assertThat(tool.lines().get(0)).contains("EPERM", "name=" + name, "nothing changed");
            }
            assertThat(Files.readAllBytes(ShmNames.file(name))).as("the segment is untouched").isEqualTo(before);
            assertThat(IpcArcs.inspect(name).state()).isEqualTo("ready");
            try (IpcArc<Long> again = IpcArc.load(name, Long.class)) {
                assertThat(again.read()).as("still loadable").isEqualTo(5L);
                assertThat(again.refCount()).isEqualTo(2);
            }
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }
}
