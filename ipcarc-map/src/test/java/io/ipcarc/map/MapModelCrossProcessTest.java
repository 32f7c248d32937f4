package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.map.MapChild.Pair;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-based cross-process test: three worker JVMs make random puts, removes and computes
 * on 2,000 keys while this JVM kills them with SIGKILL at random moments, one after the other
 * (each started again at once), 210 times, and reads keys lock-free throughout. Then a checker
 * compares the map with the workers' logs: every key holds a value some operation wrote to it (or
 * none), no acknowledged write is lost, no removed key reappears; the index and the entries are
 * consistent and {@code size()} is the number of keys.
 */
class MapModelCrossProcessTest {
    private static final int KEYS = 2000;
    private static final int WORKERS = 3;
    private static final int KILLS = 210;
    private static final Duration LONG = Duration.ofSeconds(120);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @TempDir
    Path logs;

    private int started;

    /** A worker and when it said it was ready (0 until then). */
    private static final class Worker {
        final ChildJvm jvm;
        long readyAt;

        Worker(ChildJvm jvm) {
            this.jvm = jvm;
        }

        boolean ready() {
            if (readyAt == 0 && jvm.lines().contains("READY")) {
                readyAt = System.nanoTime();
            }
            return readyAt != 0;
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteAndNoRemovedKeyThroughHundredsOfKills() throws IOException {
        List<MapRepair> repairs = new CopyOnWriteArrayList<>();
        try (IpcMap<Long, Pair> m = IpcMap.create(sandbox.name("model"), Long.class, Pair.class,
                MapOptions.capacity(KEYS).withStripes(16).withRepairListener(repairs::add))) {
            SplittableRandom random = new SplittableRandom(42);
            List<ChildJvm> killed = new java.util.ArrayList<>();
            Worker[] workers = new Worker[WORKERS];
            for (int w = 0; w < WORKERS; w++) {
                workers[w] = start(m.name(), random.nextLong());
            }
            long torn = 0;
            long reads = 0;
            long deadline = System.nanoTime() + LONG.toNanos() * 4;
            for (int kill = 0; kill < KILLS; kill++) {
                Worker victim = workers[kill % WORKERS]; // the one started longest ago
                long workFor = 10_000_000L + random.nextLong(90_000_000L);
                while (!victim.ready() || System.nanoTime() - victim.readyAt < workFor) {
                    for (int i = 0; i < 100; i++) {
                        Pair p = m.get((long) random.nextInt(KEYS));
                        reads++;
                        if (p != null && !p.consistent()) {
                            torn++;
                        }
                    }
                    LockSupport.parkNanos(1_000_000L); // leave the cores to the workers
                    assertThat(System.nanoTime()).as("workers start and work in time").isLessThan(deadline);
                    assertThat(victim.jvm.isAlive()).as("worker alive: " + victim.jvm.lines()).isTrue();
                }
                victim.jvm.kill(); // SIGKILL, at whatever the worker was doing
                assertThat(victim.jvm.lines()).noneMatch(l -> l.startsWith("TORN"));
                killed.add(victim.jvm);
                workers[kill % WORKERS] = start(m.name(), random.nextLong());
            }
            for (Worker w : workers) {
                w.jvm.kill();
                killed.add(w.jvm);
            }
            assertThat(torn).as("torn values among " + reads + " lock-free reads").isZero();
            assertThat(m.check()).as("index, counts and entries consistent").isEmpty();
            Map<Long, Long> actual = new HashMap<>();
            m.forEach((k, v) -> actual.put(k, v.a()));
            assertThat(m.size()).isEqualTo(actual.size());
            ModelChecker checker = ModelChecker.read(logs, actual);
            assertThat(checker.violations(KEYS)).isEmpty();
            assertThat(checker.operations()).as("operations logged").isGreaterThan(10_000);
            assertThat(checker.unacknowledged()).as("operations cut short by a kill").isGreaterThan(0);
            long repaired = killed.stream().mapToLong(j -> j.count("REPAIRED")).sum()
                    + repairs.stream().filter(MapRepair::ownerDied).count();
            long killedInside = killed.stream().mapToLong(j -> j.count("REPAIRED stripe=") - j.count("ownerDied=false")).sum();
            assertThat(repaired).as("stripes left by killed writers were repaired by the next").isPositive();
            System.out.printf("model test: %d kills, %d operations (%d cut short), %d repairs (%d of a holder killed inside),"
                    + " %d lock-free reads%n", KILLS, checker.operations(), checker.unacknowledged(), repaired, killedInside, reads);
        }
    }

    private Worker start(String name, long seed) {
        int incarnation = started++;
        Path log = logs.resolve("worker-" + incarnation + ".log");
        return new Worker(sandbox.add(ChildJvm.start(MapModelWorker.class, name, log.toString(), Integer.toString(KEYS),
                Long.toString((long) incarnation << 40), Long.toString(seed))));
    }
}
