package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.map.MapChild.Pair;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs on one map: creation races agree on one map, and a writer killed holding a stripe is repaired at once. */
class MapCrossProcessTest {
    private static final Duration LONG = Duration.ofSeconds(120);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @TempDir
    Path dir;

    @Test
    void shouldAgreeOnOneMapWhenManyJvmsOpenOrCreateItAtOnce() throws IOException {
        String name = sandbox.name("race");
        Path go = dir.resolve("go");
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            children.add(sandbox.add(ChildJvm.start(MapChild.class, "open-or-create", name, go.toString(), Integer.toString(i))));
        }
        for (ChildJvm c : children) {
            c.awaitLine("WAITING", LONG);
        }
        Files.createFile(go);
        int created = 0;
        for (ChildJvm c : children) {
            String line = c.awaitLine("OPENED", LONG);
            created += line.contains("created=true") ? 1 : 0;
        }
        assertThat(created).as("exactly one creator").isEqualTo(1);
        ChildJvm other = sandbox.add(ChildJvm.start(MapChild.class, "open-or-create", name, go.toString(), "99", "other"));
        assertThat(other.awaitLine("REFUSED", LONG)).startsWith("REFUSED io.ipcarc.TypeMismatchException")
                .contains("map keys are of another type").contains("name=" + name);
        try (IpcMap<Long, Pair> m = IpcMap.load(name, Long.class, Pair.class)) {
            for (long i = 0; i < 6; i++) {
                assertThat(m.get(i)).isEqualTo(Pair.of(i));
            }
            assertThat(m.size()).isEqualTo(6);
            assertThat(m.refCount()).isEqualTo(7);
            for (ChildJvm c : children) {
                c.send("bye");
                assertThat(c.awaitExit(LONG)).isZero();
            }
        }
        assertThat(ShmNames.exists(name)).as("the last close removed it").isFalse();
    }

    @Test
    void shouldRepairAndGoOnWithinMillisecondsWhenAWriterIsKilledHoldingTheStripe() {
        List<MapRepair> repairs = new CopyOnWriteArrayList<>();
        try (IpcMap<Long, Pair> m = IpcMap.create(sandbox.name("held"), Long.class, Pair.class,
                MapOptions.capacity(100).withRepairListener(repairs::add))) {
            m.put(5L, Pair.of(5));
            ChildJvm holder = sandbox.add(ChildJvm.start(MapChild.class, "hold", m.name(), "5"));
            holder.awaitLine("HOLDING", LONG);
            assertThat(m.get(5L)).as("a reader does not wait for the holder").isEqualTo(Pair.of(5));
            holder.kill();
            holder.awaitExit(LONG);
            long start = System.nanoTime();
            assertThat(m.put(5L, Pair.of(6))).as("the dead holder's compute never happened").isEqualTo(Pair.of(5));
            long micros = (System.nanoTime() - start) / 1000;
            assertThat(repairs).singleElement().satisfies(r -> {
                assertThat(r.ownerDied()).isTrue();
                assertThat(r.deadOwnerPid()).isEqualTo((int) holder.pid());
                assertThat(r.map()).isEqualTo(m.name());
            });
            assertThat(m.get(5L)).isEqualTo(Pair.of(6));
            assertThat(m.check()).isEmpty();
            assertThat(micros).as("put after the holder died, microseconds").isLessThan(1_000_000);
            System.out.println("map: put on a stripe whose holder was killed took " + micros + " us (repair included)");
        }
    }
}
