package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.launcher.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
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

    /**
     * Four threads closing one handle at once: exactly one releases the reference, none of the
     * others runs the leak cleaner's release or logs "not closed" (it used to, a few times in
     * thousands of rounds, while the winning close was still releasing).
     */
    @Test
    void concurrentClosesNeverReportALeak() throws Exception {
        String name = sandbox.name("closers");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(String.valueOf(r.getMessage()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.ipcarc");
        logger.addHandler(handler);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (IpcArc<Long> keeper = IpcArc.create(name, 1L)) {
            for (int round = 0; round < 10_000; round++) {
                IpcArc<Long> arc = IpcArc.load(name, Long.class);
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<?>> closers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    closers.add(pool.submit(() -> {
                        start.await();
                        arc.close();
                        return null;
                    }));
                }
                for (Future<?> f : closers) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertThat(keeper.refCount()).as("round %d: exactly one release", round).isEqualTo(1);
            }
            assertThat(warnings).as("warnings logged by concurrent closes").isEmpty();
        } finally {
            pool.shutdownNow();
            logger.removeHandler(handler);
        }
    }
}
