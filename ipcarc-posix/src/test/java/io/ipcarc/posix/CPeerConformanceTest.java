package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcOptions.PayloadMode;
import io.ipcarc.Guard;
import io.ipcarc.HolderInfo;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.ShmType;
import io.ipcarc.TornValueException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ForeignPeers;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.ipcarc.posix.segment.SegmentDescriptor;
import io.ipcarc.posix.sys.ProcessIds;

/**
 * A C process written against c/ipcarc.h alone (c/ipcarc_peer.c, built here with gcc) shares
 * IpcArc&lt;Long&gt; segments with JVMs: it counts exactly under the same robust mutex, its death
 * inside a guard is reported to Java with the last committed value, its death while merely
 * registered is reaped, its awaitChange wakes on a Java release and its release wakes a Java
 * waiter, and its last release unlinks the name.
 */
@Timeout(120)
class CPeerConformanceTest {
    private static final Duration START = ShmSandbox.START;
    private static final Duration EXIT = Duration.ofSeconds(60);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    /** Starts c/ipcarc_peer.c (built with gcc once per test JVM) with {@code args}. */
    private ChildJvm c(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ForeignPeers.executable("gcc", "ipcarc_peer.c")));
        cmd.addAll(List.of(args));
        return sandbox.add(ForeignPeers.start(cmd));
    }

    private static ArcOptions options(PayloadMode mode) {
        return ArcOptions.defaults().withPayloadMode(mode);
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"CRASH_ATOMIC", "RAW"})
    void shouldCountExactlyWhenACProgramAndTwoJvmsIncrementUnderTheSameMutex(PayloadMode mode) {
        String name = sandbox.name("c-count");
        int perJvm = 20_000;
        // Enough for the C program to run for tens of milliseconds: 100,000 took a few, and on a
        // busy machine it could finish before either JVM had taken the mutex once.
        int inC = 1_000_000;
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 0L, options(mode))) {
            ChildJvm a = sandbox.start("increment", name, String.valueOf(perJvm), "--after-go");
            ChildJvm b = sandbox.start("increment", name, String.valueOf(perJvm), "--after-go");
            ChildJvm cPeer = c("increment", name, String.valueOf(inC), "--after-go");
            a.awaitLine("LOADED", START);
            b.awaitLine("LOADED", START);
            assertThat(cPeer.awaitLine("LOADED", START)).contains("mode=" + (mode == PayloadMode.RAW ? "raw" : "crash-atomic"));
            assertThat(arc.refCount()).isEqualTo(4);
            for (ChildJvm p : List.of(a, b, cPeer)) {
                p.send("go");
            }
            for (ChildJvm p : List.of(a, b, cPeer)) {
                assertThat(p.awaitExit(EXIT)).as("%s", p).isZero();
            }
            assertThat(cPeer.lines()).contains("RELEASED");
            String done = cPeer.awaitLine("DONE", START);
            assertThat(done).startsWith("DONE " + inC + " contended=");
            assertThat(Long.parseLong(done.substring(done.indexOf('=') + 1)))
                    .as("the C program found the mutex held by a JVM at times: %s", done).isPositive();
            assertThat(arc.read()).isEqualTo(2L * perJvm + inC);
            assertThat(arc.refCount()).isEqualTo(1);
            assertThat(arc.version()).as("+2 per increment").isEqualTo(2L * (2L * perJvm + inC));
        }
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"CRASH_ATOMIC", "RAW"})
    void shouldReportOwnerDeathToJavaWhenTheCProgramIsKilledHoldingTheLock(PayloadMode mode) {
        String name = sandbox.name("c-died");
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 1L, options(mode))) {
            try (Guard<Long> g = arc.acquire()) {
                g.set(7L); // the last committed value
            }
            ChildJvm holder = c("hold", name, "42");
            assertThat(holder.awaitLine("OWNER_DIED", START)).isEqualTo("OWNER_DIED false VALUE 7");
            holder.awaitLine("LOCKED", START);
            holder.kill();
            if (mode == PayloadMode.CRASH_ATOMIC) {
                assertThat(arc.read()).as("the committed value, without waiting for the dead holder").isEqualTo(7L);
            } else {
                assertThatThrownBy(arc::read).as("the raw word was left odd").isInstanceOf(TornValueException.class);
            }
            try (Guard<Long> g = arc.acquire(Duration.ofSeconds(30))) {
                assertThat(g.ownerDied()).isTrue();
                assertThat(g.get()).as(mode == PayloadMode.CRASH_ATOMIC ? "never published" : "written in place")
                        .isEqualTo(mode == PayloadMode.CRASH_ATOMIC ? 7L : 42L);
                g.set(8L);
            }
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).as("repaired by the guard that saw it").isFalse();
            }
            assertThat(arc.read()).isEqualTo(8L);
            assertThat(IpcArcs.inspect(name).deadHolders()).extracting(HolderInfo::pid)
                    .as("its token died with it; the next load or close reaps it").containsExactly((int) holder.pid());
        }
    }

    @Test
    void shouldRecordOwnerDeathFromCWhenAJvmIsKilledHoldingTheLockAndKeepItUntilRepaired() {
        String name = sandbox.name("c-recovers");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm jvm = sandbox.start("hold", name, "42");
            jvm.awaitLine("LOCKED", START);
            jvm.kill();
            // C gets EOWNERDEAD, records the death at 312/316, makes the mutex consistent, and dies too.
            ChildJvm cHolder = c("hold", name, "43");
            assertThat(cHolder.awaitLine("OWNER_DIED", START)).isEqualTo("OWNER_DIED true VALUE 1");
            cHolder.awaitLine("LOCKED", START);
            assertThat(IpcArcs.inspect(name).lock().repairPending()).as("recorded by C").isTrue();
            cHolder.kill();
            try (Guard<Long> g = arc.acquire(Duration.ofSeconds(30))) {
                assertThat(g.ownerDied()).as("neither dead holder repaired it").isTrue();
                assertThat(g.get()).isEqualTo(1L);
            }
            ChildJvm setter = c("set", name, "9");
            assertThat(setter.awaitExit(EXIT)).as("%s", setter).isZero();
            assertThat(arc.read()).isEqualTo(9L);
        }
    }

    @Test
    void shouldReapTheCProgramWhenItIsKilledWhileRegistered() {
        String name = sandbox.name("c-reap");
        try (IpcArc<Long> arc = IpcArc.create(name, 5L)) {
            ChildJvm cPeer = c("register", name);
            String loaded = cPeer.awaitLine("LOADED", START);
            assertThat(loaded).contains("refcount=2");
            long holderId = Long.parseLong(loaded.replaceAll(".*holderId=(\\d+).*", "$1"));
            assertThat(arc.refCount()).isEqualTo(2);
            assertThat(arc.isHolderAlive(holderId)).as("the C holder id, read by Java").isTrue();
            HolderInfo c = IpcArcs.inspect(name).holders().stream().filter(h -> h.pid() == cPeer.pid()).findFirst().orElseThrow();
            assertThat(c.alive()).isTrue();
            assertThat(c.handles()).isEqualTo(1);
            assertThat(c.startTicks()).as("clock ticks since boot, as Java computes them")
                    .isEqualTo(ProcessIds.startTime((int) cPeer.pid()));

            cPeer.kill();
            assertThat(arc.isHolderAlive(holderId)).as("its token died with it").isFalse();
            try (IpcArc<Long> again = IpcArc.load(name, Long.class)) { // a load reaps
                assertThat(again.refCount()).as("this JVM's two handles, nothing of the dead C holder").isEqualTo(2);
                assertThat(IpcArcs.inspect(name).holders()).extracting(HolderInfo::pid)
                        .containsExactly((int) ProcessHandle.current().pid());
            }
            assertThat(arc.refCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldWakeACWaiterOnAJavaReleaseAndAJavaWaiterOnACRelease() throws Exception {
        String name = sandbox.name("c-await");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm waiter = c("await", name, "30000");
            long v = Long.parseLong(waiter.awaitLine("VERSION", START).substring("VERSION ".length()));
            assertThat(v).isEqualTo(arc.version());
            await().atMost(START).until(() -> waitersWord(name) == 1); // the C waiter counts itself, then sleeps
            try (Guard<Long> g = arc.acquire()) {
                g.set(2L);
            }
            assertThat(waiter.awaitLine("CHANGED", START)).isEqualTo("CHANGED " + (v + 2) + " VALUE 2");
            assertThat(waiter.awaitExit(EXIT)).isZero();
            assertThat(waitersWord(name)).as("the C waiter counted itself out").isZero();

            long before = arc.version();
            CompletableFuture<Long> javaWaiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return arc.awaitChange(before, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(START).until(() -> waitersWord(name) == 1);
            ChildJvm setter = c("set", name, "3");
            assertThat(setter.awaitExit(EXIT)).isZero();
            assertThat(javaWaiter.get()).as("woken by the C release").isEqualTo(before + 2);
            assertThat(arc.read()).isEqualTo(3L);
        }
    }

    @Test
    void shouldUnlinkTheNameWhenTheCProgramReleasesTheLastReference() {
        String name = sandbox.name("c-last");
        IpcArc<Long> arc = IpcArc.create(name, 1L);
        ChildJvm waiter = c("await", name, "2000");
        waiter.awaitLine("VERSION", START);
        arc.close(); // the C program now holds the only reference
        assertThat(ShmNames.exists(name)).isTrue();
        assertThat(waiter.awaitLine("TIMEOUT", START)).isEqualTo("TIMEOUT " + 0 + " VALUE 1");
        assertThat(waiter.awaitExit(EXIT)).isZero();
        assertThat(waiter.lines()).contains("RELEASED");
        assertThat(ShmNames.exists(name)).as("unlinked by the C program's last release").isFalse();
    }

    @Test
    void shouldRefuseTheSameBadNamesAsJava() {
        ChildJvm bad = c("probe", "/caf\u00e9");
        assertThat(bad.awaitExit(EXIT)).isEqualTo(1);
        assertThat(String.join("\n", bad.lines())).contains("bad segment name", "POSIX portable filename characters", "index=4");
        ChildJvm usage = c("increment", "/x");
        assertThat(usage.awaitExit(EXIT)).isEqualTo(2);
        assertThat(usage.lines()).hasSize(1);
    }

    /** The change-waiter count at 328, read from the file (the test holds no C pointer into the mapping). */
    static int waitersWord(String name) throws IOException {
        byte[] head = new byte[SegmentDescriptor.WAITERS_OFFSET + 4];
        try (var in = Files.newInputStream(ShmNames.file(name))) {
            in.readNBytes(head, 0, head.length);
        }
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(SegmentDescriptor.WAITERS_OFFSET);
    }
}
