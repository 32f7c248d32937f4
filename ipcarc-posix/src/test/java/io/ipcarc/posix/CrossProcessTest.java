package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.Records;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.ipcarc.posix.segment.SegmentDescriptor;

/** The behaviours that only separate processes can show: real JVMs, real /dev/shm, SIGKILL. */
@Timeout(180)
class CrossProcessTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private ChildJvm child(String... args) {
        return sandbox.start(args);
    }

    private ChildJvm child(List<String> jvmOptions, String... args) {
        return sandbox.start(jvmOptions, args);
    }

    @Test
    void shouldCountExactlyWhenFourJvmsIncrementUnderTheLock() {
        String name = sandbox.name("count");
        try (IpcArc<Long> counter = IpcArc.create(name, 0L)) {
            List<ChildJvm> workers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                workers.add(child("increment", name, "20000"));
            }
            for (ChildJvm w : workers) {
                w.awaitLine("DONE", START);
                assertThat(w.awaitExit(START)).isZero();
            }
            assertThat(counter.read()).isEqualTo(80_000L);
            assertThat(counter.refCount()).isEqualTo(1);
        }
        assertThat(ShmNames.exists(name)).as("unlinked by the last close").isFalse();
    }

    @Test
    void shouldRecoverWhenHolderIsKilled() {
        String name = sandbox.name("ownerdied");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm holder = child("hold", name, "42");
            holder.awaitLine("LOCKED", START);
            assertThat(arc.tryAcquire()).as("the child holds the lock").isEmpty();

            holder.kill();
            long t0 = System.nanoTime();
            try (Guard<Long> g = arc.acquire(Duration.ofSeconds(1))) {
                long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(waitedMillis).isLessThan(1000);
                assertThat(g.ownerDied()).isTrue();
                assertThat(g.get()).as("crash-atomic: the dead holder's uncommitted write is gone").isEqualTo(1L);
                g.set(43L);
            }
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).isFalse();
                assertThat(g.get()).isEqualTo(43L);
            }
            ChildJvm next = child("hold", name, "44");
            assertThat(next.awaitLine("OWNER_DIED", START)).isEqualTo("OWNER_DIED false");
        }
    }

    @Test
    void shouldKeepRefcountExactUnderConcurrentLoadAndClose() {
        String name = sandbox.name("refcount");
        IpcArc<Long> holder = IpcArc.create(name, 0L);
        try {
            List<ChildJvm> workers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                workers.add(child("load-close", name, "500"));
            }
            for (ChildJvm w : workers) {
                assertThat(w.awaitLine("DONE", START)).isEqualTo("DONE failures=0");
                assertThat(w.awaitExit(START)).isZero();
            }
            assertThat(holder.refCount()).isEqualTo(1);
        } finally {
            holder.close();
        }
        assertThat(ShmNames.exists(name)).as("unlinked right after the last close").isFalse();
    }

    @Test
    void shouldNeverHandOutAnUnlinkedSegmentWhenLoadRacesWithLastClose() throws Exception {
        String name = sandbox.name("lastclose");
        int payloadOffset = SegmentDescriptor.payloadOffset("i64".length());
        Path dir = Files.createTempDirectory("ipcarc-churn");
        Path go = dir.resolve("go");
        Path stop = dir.resolve("stop");
        try {
            ChildJvm creator = child("churn-create", name, go.toString(), stop.toString());
            ChildJvm loader = child("churn-load", name, "3000", String.valueOf(payloadOffset), go.toString());
            creator.awaitLine("READY", START);
            loader.awaitLine("READY", START);
            Files.createFile(go); // both start together; the creator cycles until the loader is done
            String loaded = loader.awaitLine("DONE", START);
            Files.createFile(stop);
            String created = creator.awaitLine("DONE", START);
            assertThat(loaded).as("%s / %s", loader, creator).endsWith("violations=0");
            assertThat(Integer.parseInt(loaded.replaceAll(".*loaded=(\\d+).*", "$1"))).as("some loads won the race").isPositive();
            assertThat(Integer.parseInt(loaded.replaceAll(".*notFound=(\\d+).*", "$1"))).as("some loads lost it").isPositive();
            assertThat(Integer.parseInt(created.replaceAll(".*created=(\\d+).*", "$1"))).isPositive();
            assertThat(loader.lines()).noneMatch(l -> l.contains("Exception"));
            assertThat(creator.lines()).noneMatch(l -> l.contains("Exception"));
            assertThat(creator.awaitExit(START)).isZero();
            assertThat(loader.awaitExit(START)).isZero();
            assertThat(ShmNames.exists(name)).isFalse();
        } finally {
            Files.deleteIfExists(go);
            Files.deleteIfExists(stop);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void shouldReapHolderKilledWithSigkill() {
        String name = sandbox.name("reap");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            ChildJvm a = child("load-wait", name);
            ChildJvm b = child("load-wait", name);
            a.awaitLine("LOADED", START);
            b.awaitLine("LOADED", START);
            assertThat(arc.refCount()).isEqualTo(3);
            a.kill();
            b.kill();
            assertThat(arc.refCount()).as("nothing reaps until the next load or close").isEqualTo(3);
            IpcArc.load(name, Long.class).close();
            assertThat(arc.refCount()).isEqualTo(1);
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldReleaseReferencesWhenJvmExitsWithoutClose() {
        String name = sandbox.name("exit");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            ChildJvm quitter = child("load-exit", name);
            assertThat(quitter.awaitLine("LOADED", START)).isEqualTo("LOADED refCount=2");
            assertThat(quitter.awaitExit(START)).isZero();
            assertThat(arc.refCount()).isEqualTo(1);

            ChildJvm terminated = child("load-wait", name);
            terminated.awaitLine("LOADED", START);
            assertThat(arc.refCount()).isEqualTo(2);
            terminated.terminate();
            terminated.awaitExit(START);
            assertThat(arc.refCount()).as("SIGTERM runs the shutdown hook").isEqualTo(1);
        }
    }

    @Test
    void shouldLetExactlyOneOfEightJvmsCreate() throws Exception {
        String name = sandbox.name("ooc");
        Path go = Files.createTempFile("ipcarc-go", ".flag");
        Files.delete(go);
        try {
            List<ChildJvm> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racers.add(child("open-or-create", name, go.toString()));
            }
            for (ChildJvm r : racers) {
                r.awaitLine("READY", START);
            }
            Files.createFile(go); // all eight spin on this file, then race
            long creators = 0;
            long creatorPid = -2;
            for (ChildJvm r : racers) {
                String line = r.awaitLine("CREATED", START);
                if (line.startsWith("CREATED true")) {
                    creators++;
                    creatorPid = r.pid();
                }
            }
            assertThat(creators).isEqualTo(1);
            for (ChildJvm r : racers) {
                assertThat(r.awaitLine("CREATED", START)).as("everyone sees the creator's value").endsWith("value=" + creatorPid);
            }
            try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                assertThat(arc.refCount()).isEqualTo(9);
                try (Guard<Long> g = arc.acquire()) {
                    g.set(-1L);
                }
                for (ChildJvm r : racers) {
                    r.awaitLine("DONE", START);
                }
            }
            assertThat(ShmNames.exists(name)).isFalse();
        } finally {
            Files.deleteIfExists(go);
        }
    }

    @Test
    void shouldRoundTripNestedRecordWithArrayBetweenJvms() {
        String name = sandbox.name("record");
        ChildJvm writer = child("write-sample", name);
        writer.awaitLine("CREATED", START);
        try (IpcArc<Records.Sample> arc = IpcArc.load(name, Records.Sample.class)) {
            assertThat(arc.read()).isEqualTo(Records.sample());
            ChildJvm reader = child("read-sample", name);
            assertThat(reader.awaitLine("EQUAL", START)).startsWith("EQUAL true");
            reader.awaitLine("DONE", START);
            assertThat(arc.read()).isEqualTo(new Records.Sample((byte) 1, new Records.Point(1, 1.5), new long[] {4, 3, 2, 1},
                    false, 'a', (short) 1));
            IpcArc<Object> untyped = IpcArc.load(name);
            assertThat(untyped.type()).isEqualTo(ShmType.of(Records.Sample.class));
            untyped.close();
        }
    }

    @Test
    void shouldNotBlockCreateForeverWhenCreatorDiesBeforeReady() {
        String name = sandbox.name("stale");
        ChildJvm creator = child(List.of("-Dio.ipcarc.debug.stallBeforeReadyMillis=600000"), "create-stall", name);
        creator.awaitLine("STALLING_BEFORE_READY", START);
        creator.kill();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IpcArc.load(name, Long.class))
                .isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("creator died before the segment was ready")
                .hasMessageContaining(name);
        try (IpcArc<Long> arc = IpcArc.openOrCreate(name, ShmType.of(Long.class), 9L)) {
            assertThat(arc.created()).isTrue();
            assertThat(arc.read()).isEqualTo(9L);
        }
        ChildJvm again = child(List.of("-Dio.ipcarc.debug.stallBeforeReadyMillis=600000"), "create-stall", name);
        again.awaitLine("STALLING_BEFORE_READY", START);
        again.kill();
        try (IpcArc<Long> arc = IpcArc.create(name, 10L)) {
            assertThat(arc.read()).isEqualTo(10L);
        }
    }

    @Test
    void shouldWaitForSegmentThatIsStillBeingCreated() {
        String name = sandbox.name("slowcreate");
        ChildJvm creator = child(List.of("-Dio.ipcarc.debug.stallBeforeReadyMillis=300"), "create-stall", name);
        creator.awaitLine("STALLING_BEFORE_READY", START);
        try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
            assertThat(arc.read()).isEqualTo(5L);
            assertThat(creator.awaitLine("CREATED", START)).isEqualTo("CREATED");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> creator.lines().contains("CREATED"));
    }
}
