package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.testing.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An arc dropped without close() is released by the Cleaner and reported with where it was opened. */
@Timeout(180)
class LeakDetectionTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldReturnReferenceAndWarnWithCreatingStackWhenArcIsDroppedWithoutClose() {
        String name = sandbox.name("leak");
        try (IpcArc<Long> arc = IpcArc.create(name, 3L)) {
            ChildJvm child = sandbox.start("leak", name);
            assertThat(child.awaitLine("LOADED", START)).isEqualTo("LOADED refCount=2");

            String warning = child.awaitLine("WARNING ", START);
            String stack = child.awaitLine("STACK ", START);
            assertThat(child.awaitLine("WARNINGS", START)).isEqualTo("WARNINGS 1");
            assertThat(warning).contains("not closed").contains("name=" + name);
            assertThat(stack).contains("IpcArc " + name + " was opened here")
                    .contains("io.ipcarc.IpcArc.load(")
                    .contains("io.ipcarc.testing.Leak.openAndForget(");

            assertThat(child.isAlive()).as("released by the Cleaner, not by the exit hook").isTrue();
            assertThat(arc.refCount()).isEqualTo(1);
            assertThat(IpcArcs.inspect(name).holders()).extracting(h -> (long) h.pid())
                    .containsExactly(ProcessHandle.current().pid());
        }
    }
}
