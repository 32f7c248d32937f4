package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code truncate -s 0} or {@code -s 4096} under a live holder: the holder's tryAcquire reports
 * {@code CorruptSegmentException} (within a bounded time: its truncation watcher), its close
 * succeeds, a new load fails, its JVM exits normally through the shutdown hook that releases its
 * other handle, and the CLI reports the file: nobody dies of SIGBUS.
 */
@Timeout(180)
class TruncationTest {
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @ParameterizedTest
    @ValueSource(ints = {0, 4096})
    void shouldSurviveTheObjectBeingTruncatedUnderALiveHolder(int size) throws IOException {
        String name = sandbox.name("truncated-" + size);
        ChildJvm holder = sandbox.start("hold-truncated", name);
        assertThat(holder.awaitLine("READY", ShmSandbox.START)).isEqualTo("READY refCount=2");

        try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
        holder.send("TRUNCATED");

        // The holder's truncation watcher notices (also when the mutex's page is still there), and
        // from then on every call fails; the handle still closes, giving its reference back.
        assertThat(holder.awaitLine("TRYACQUIRE", ShmSandbox.START)).startsWith("TRYACQUIRE CorruptSegmentException")
                .contains("name=" + name).contains("truncated");
        assertThat(holder.awaitLine("CLOSE", ShmSandbox.START)).isEqualTo("CLOSE ok");
        assertThat(holder.awaitLine("LOAD", ShmSandbox.START)).startsWith("LOAD CorruptSegmentException")
                .contains("name=" + name);
        assertThat(holder.awaitLine("EXITING", ShmSandbox.START)).isEqualTo("EXITING open=true");
        assertThat(holder.awaitExit(ShmSandbox.START)).as("normal exit, the shutdown hook survived: " + holder.lines())
                .isZero();

        Cli inspect = Cli.run("inspect", name);
        assertThat(inspect.code()).isZero();
        assertThat(inspect.line("kind")).endsWith("foreign");
        assertThat(Cli.run("ls", "--all").line(name)).contains("foreign");
        Cli rm = Cli.run("rm", "--force", name);
        assertThat(rm.code()).as("never removed by the tool: " + rm.err()).isEqualTo(4);
        assertThat(rm.errLines()).hasSize(1);
        assertThat(ShmNames.exists(name)).isTrue();
    }
}
