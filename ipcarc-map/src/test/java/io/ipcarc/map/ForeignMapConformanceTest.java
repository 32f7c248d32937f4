package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.SharedView;
import io.ipcarc.map.MapChild.Pair;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ForeignPeers;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The C peer (c/ipcarc.h, built with gcc: c/ipcarc_map_peer.c) and the Python reader
 * (python/ipcarc.py) on maps Java made: C puts under the stripe locks and Java reads; Java puts
 * and Python and C read lock-free (never a torn value while Java rewrites); a C writer stopped at
 * a crash point and killed with SIGKILL, or killed at random moments, is repaired by the next Java
 * writer; C refuses a stripe a killed Java writer left (only Java repairs); a musl-built C peer
 * reads but is refused the locks.
 */
class ForeignMapConformanceTest {
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final java.util.regex.Pattern PAIR = java.util.regex.Pattern.compile("a=(-?\\d+), b=(-?\\d+)");

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private static String peer() {
        return ForeignPeers.executable("gcc", "ipcarc_map_peer.c");
    }

    private static List<String> c(String... args) {
        List<String> cmd = new ArrayList<>(List.of(peer()));
        cmd.addAll(List.of(args));
        return ForeignPeers.run(cmd, 120);
    }

    private IpcMap<Long, Pair> longMap(String what, MapRepairListener listener) {
        return IpcMap.create(sandbox.name(what), Long.class, Pair.class, MapOptions.capacity(500).withStripes(4)
                .withRepairListener(listener));
    }

    @Test
    void shouldReadInJavaWhatACProcessPutAndInCWhatJavaPut() {
        try (IpcMap<Long, Pair> m = longMap("cput", null)) {
            assertThat(c("put-many", m.name(), "0", "300")).containsExactly("PUT count=300");
            assertThat(c("put", m.name(), "l:5", "99", "-99")).containsExactly("PUT replaced=1");
            for (long k = 0; k < 300; k++) {
                assertThat(m.get(k)).isEqualTo(k == 5 ? Pair.of(99) : Pair.of(k));
            }
            assertThat(m.size()).isEqualTo(300);
            assertThat(m.check()).isEmpty();
            m.put(1000L, Pair.of(7));
            m.remove(6L);
            assertThat(c("get", m.name(), "l:1000")).containsExactly("VALUE 7 -7");
            assertThat(c("get", m.name(), "l:6")).containsExactly("ABSENT");
            assertThat(c("size", m.name())).containsExactly("SIZE 300");
        }
        try (IpcMap<String, Pair> s = IpcMap.create(sandbox.name("cstr"), String.class, Pair.class,
                MapOptions.capacity(10).withKeyCapacity(16))) {
            assertThat(c("put", s.name(), "s:AAPL", "1", "-1")).containsExactly("PUT replaced=0");
            assertThat(s.get("AAPL")).isEqualTo(Pair.of(1));
            s.put("0123456789abcdef", Pair.of(2));
            assertThat(c("get", s.name(), "s:0123456789abcdef")).containsExactly("VALUE 2 -2");
        }
    }

    @Test
    void shouldReadInPythonWhatJavaPutAndNeverATornValueWhileJavaRewritesIt() throws InterruptedException {
        try (IpcMap<Long, Pair> m = longMap("py", null);
             IpcMap<String, Pair> s = IpcMap.create(sandbox.name("pystr"), String.class, Pair.class,
                     MapOptions.capacity(10).withKeyCapacity(16))) {
            for (long k = 0; k < 100; k++) {
                m.put(k, Pair.of(k));
            }
            s.put("AAPL", Pair.of(3));
            String expected = formatted(m, 42L);
            assertThat(ForeignPeers.run(ForeignPeers.python("ipcarc.py", "map-get", m.name(), "42"), 60))
                    .containsExactly("VALUE " + expected);
            assertThat(ForeignPeers.run(ForeignPeers.python("ipcarc.py", "map-get", m.name(), "4242"), 60)).containsExactly("ABSENT");
            assertThat(ForeignPeers.run(ForeignPeers.python("ipcarc.py", "map-get", s.name(), "AAPL"), 60))
                    .containsExactly("VALUE " + formatted(s, "AAPL"));
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(1);
                for (long v = 0; !stop.get(); v++) {
                    long k = r.nextInt(100);
                    if (r.nextInt(10) == 0) {
                        m.remove(k);
                        m.put(k, Pair.of(v));
                    } else {
                        m.put(k, Pair.of(v));
                    }
                }
            });
            writer.start();
            List<String> lines;
            try {
                lines = ForeignPeers.run(ForeignPeers.python("ipcarc.py", "map-scan", m.name(), "100", "20"), 300);
            } finally {
                stop.set(true);
                writer.join();
            }
            long values = 0;
            for (String line : lines) {
                java.util.regex.Matcher pair = PAIR.matcher(line);
                if (line.startsWith("VALUE") && pair.find()) {
                    assertThat(Long.parseLong(pair.group(1))).as("never torn: " + line).isEqualTo(-Long.parseLong(pair.group(2)));
                    values++;
                }
            }
            assertThat(values).as("values read while Java rewrote them").isGreaterThan(1000);
            System.out.println("python map reader: " + values + " values, " + lines.get(lines.size() - 1));
        }
    }

    /** @return the value of a key as ipcarc inspect (and the Python reader) formats it */
    private static <K> String formatted(IpcMap<K, Pair> m, K key) {
        byte[] b = new byte[m.valueType().size()];
        assertThat(m.get(key, b)).isTrue();
        return m.valueType().layout().format(SharedView.wrap(b), 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPDATE_JOURNALED", "UPDATE_LIVE", "UPDATE_COMMITTED", "INSERT_LIVE", "INSERT_COMMITTED", "POP_TAKEN"})
    void shouldRepairInJavaWhatACWriterKilledMidPutLeft(String point) {
        List<MapRepair> repairs = new CopyOnWriteArrayList<>();
        try (IpcMap<Long, Pair> m = longMap("ckill", repairs::add)) {
            m.put(1L, Pair.of(1));
            long key = point.startsWith("UPDATE") ? 1L : 2L;
            ChildJvm writer = sandbox.add(ForeignPeers.start(List.of(peer(), "stop-at", point, m.name(), "l:" + key, "50", "-50")));
            writer.awaitLine("STOPPED " + point, LONG);
            Pair before = m.get(key);
            writer.kill();
            writer.awaitExit(LONG);
            boolean committed = point.endsWith("COMMITTED");
            Pair expected = committed ? Pair.of(50) : key == 1L ? Pair.of(1) : null;
            assertThat(before).as("read lock-free before any repair").isEqualTo(expected);
            assertThat(m.check()).isEmpty();
            assertThat(m.get(key)).isEqualTo(expected);
            assertThat(repairs).anySatisfy(r -> {
                assertThat(r.ownerDied()).isTrue();
                assertThat(r.deadOwnerPid()).isEqualTo((int) writer.pid());
            });
            assertThat(c("put", m.name(), "l:" + key, "60", "-60")).containsExactly("PUT replaced=" + (expected == null ? 0 : 1));
            assertThat(m.get(key)).isEqualTo(Pair.of(60));
        }
    }

    @Test
    void shouldStayConsistentWhenACWriterIsKilledAtRandomMoments() {
        try (IpcMap<Long, Pair> m = longMap("cloop", null)) {
            SplittableRandom r = new SplittableRandom(7);
            long torn = 0;
            for (int kill = 0; kill < 20; kill++) {
                ChildJvm writer = sandbox.add(ForeignPeers.start(List.of(peer(), "loop", m.name(), "400", Integer.toString(kill + 1))));
                writer.awaitLine("LOOPING", LONG);
                long until = System.nanoTime() + 5_000_000L + r.nextLong(30_000_000L);
                while (System.nanoTime() < until) {
                    Pair p = m.get((long) r.nextInt(400));
                    torn += p != null && !p.consistent() ? 1 : 0;
                    if (r.nextInt(50) == 0) {
                        m.put((long) r.nextInt(400), Pair.of(-1));
                    }
                }
                writer.kill();
                writer.awaitExit(LONG);
                LockSupport.parkNanos(1_000_000L);
            }
            assertThat(torn).isZero();
            assertThat(m.check()).isEmpty();
            m.forEach((k, v) -> assertThat(v.consistent()).isTrue());
        }
    }

    @Test
    void shouldRefuseInCAStripeAKilledJavaWriterLeftUntilJavaRepairsIt() {
        try (IpcMap<Long, Pair> m = longMap("jkill", null)) {
            m.put(1L, Pair.of(1));
            ChildJvm java = sandbox.add(ChildJvm.start(List.of("-Dipcarc.map.crashAt=UPDATE_JOURNALED"), MapChild.class, "op",
                    m.name(), "put", "1", "5"));
            assertThat(java.awaitExit(LONG)).isEqualTo(CrashPoint.EXIT_STATUS);
            ChildJvm refused = sandbox.add(ForeignPeers.start(List.of(peer(), "put", m.name(), "l:1", "6", "-6")));
            assertThat(refused.awaitExit(LONG)).isEqualTo(1);
            assertThat(String.join("\n", refused.lines())).contains("map stripe needs repair, which a Java writer makes")
                    .contains("name=" + m.name()).contains("deadOwnerPid=" + java.pid());
            assertThat(m.get(1L)).isEqualTo(Pair.of(1));
            assertThat(m.put(1L, Pair.of(7))).isEqualTo(Pair.of(1)); // Java repairs, then writes
            assertThat(c("put", m.name(), "l:1", "8", "-8")).containsExactly("PUT replaced=1");
            assertThat(m.get(1L)).isEqualTo(Pair.of(8));
        }
    }

    @Test
    void shouldLetAMuslBuiltPeerReadButNotLock() {
        try (IpcMap<Long, Pair> m = longMap("musl", null)) {
            m.put(3L, Pair.of(3));
            String musl = ForeignPeers.executable("musl-gcc", "ipcarc_map_peer.c");
            assertThat(ForeignPeers.run(List.of(musl, "get", m.name(), "l:3"), 60)).containsExactly("VALUE 3 -3");
            ChildJvm put = sandbox.add(ForeignPeers.start(List.of(musl, "put", m.name(), "l:3", "4", "-4")));
            assertThat(put.awaitExit(LONG)).isEqualTo(1);
            assertThat(String.join("\n", put.lines())).contains("another C library");
            assertThat(m.get(3L)).isEqualTo(Pair.of(3));
        }
    }
}
