package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.map.MapChild.Pair;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A writer halted at each instant between its shared stores (every {@link CrashPoint}), in a
 * separate JVM, as SIGKILL would stop it: readers of another process see the key at its old or
 * new value meanwhile, and the next holder of the stripe repairs it to the outcome the commit
 * point decides, with the index, the counts and every entry consistent, and is told.
 */
class CrashPointTest {
    private static final Duration LONG = Duration.ofSeconds(120);
    /** The writes whose crash leaves the old value: killed before their commit store. */
    private static final Set<CrashPoint> OLD = EnumSet.of(CrashPoint.INSERT_ENTRY_WRITTEN, CrashPoint.INSERT_JOURNALED,
            CrashPoint.INSERT_LIVE, CrashPoint.POP_JOURNALED, CrashPoint.POP_PENDING, CrashPoint.POP_TAKEN,
            CrashPoint.UPDATE_SPARE_WRITTEN, CrashPoint.UPDATE_JOURNALED, CrashPoint.UPDATE_LIVE);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void shouldLeaveTheKeyAtItsOldOrNewValueAndTheMapConsistentWhenAWriterIsKilledAt(CrashPoint point) {
        List<MapRepair> repairs = new CopyOnWriteArrayList<>();
        try (IpcMap<Long, Pair> m = IpcMap.create(sandbox.name("crash"), Long.class, Pair.class,
                MapOptions.capacity(64).withStripes(2).withRepairListener(repairs::add))) {
            long[] cluster = Collisions.sameHome(m.store(), 3, 5); // k0 at its home, k1 and k2 right after it
            for (long k : cluster) {
                m.put(k, Pair.of(k));
            }
            long other = Collisions.elsewhere(m.store(), cluster[0], 0);
            m.put(other, Pair.of(other));
            String name = point.name();
            long key;
            Long oldValue;
            Long newValue;
            if (name.startsWith("INSERT") || name.startsWith("POP")) {
                key = Collisions.elsewhere(m.store(), cluster[0], 1);
                oldValue = null;
                newValue = 7L;
                crash(m.name(), point, "put", key, 7);
            } else if (name.startsWith("UPDATE")) {
                key = cluster[1];
                oldValue = key;
                newValue = 7L;
                crash(m.name(), point, "put", key, 7);
            } else if (name.startsWith("REPAIR")) {
                key = cluster[0];
                oldValue = key;
                newValue = null;
                crash(m.name(), CrashPoint.REMOVE_MOVED, "remove", key, 0);
                crash(m.name(), point, "put", cluster[1], 9); // killed while repairing what the first left
            } else {
                key = cluster[0];
                oldValue = key;
                newValue = null;
                crash(m.name(), point, "remove", key, 0);
            }
            Long expected = OLD.contains(point) ? oldValue : newValue;
            // Readers of this process, before any repair: old or new, never torn, every other key intact.
            assertThat(valueOf(m.get(key))).isIn(oldValue, newValue);
            for (long k : cluster) {
                if (k != key) {
                    assertThat(m.get(k)).isEqualTo(Pair.of(k));
                }
            }
            assertThat(m.check()).as("consistent after the repairs a full check makes").isEmpty();
            assertThat(valueOf(m.get(key))).isEqualTo(expected);
            assertThat(repairs).as("the repair is reported").anyMatch(MapRepair::ownerDied);
            List<Long> present = new ArrayList<>();
            m.forEach((k, v) -> present.add(k));
            assertThat(m.size()).isEqualTo(present.size());
            // The map goes on working.
            for (long k : cluster) {
                m.put(k, Pair.of(k + 1));
                assertThat(m.get(k)).isEqualTo(Pair.of(k + 1));
            }
            m.remove(cluster[0]);
            m.put(key, Pair.of(3));
            assertThat(m.check()).isEmpty();
        }
    }

    private static Long valueOf(Pair p) {
        if (p == null) {
            return null;
        }
        assertThat(p.consistent()).as("never torn: " + p).isTrue();
        return p.a();
    }

    private void crash(String name, CrashPoint point, String op, long key, long value) {
        ChildJvm child = sandbox.add(ChildJvm.start(List.of("-Dipcarc.map.crashAt=" + point.name()), MapChild.class, "op",
                name, op, Long.toString(key), Long.toString(value)));
        assertThat(child.awaitExit(LONG)).as("halted at " + point + ": " + child.lines()).isEqualTo(CrashPoint.EXIT_STATUS);
        assertThat(child.lines()).contains("CRASH " + point.name());
    }
}
