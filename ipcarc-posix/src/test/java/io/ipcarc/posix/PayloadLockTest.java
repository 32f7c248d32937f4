package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArc;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.PayloadGuard;
import io.ipcarc.PayloadLock;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import io.ipcarc.testing.Snippets;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Payload locks ({@link PayloadLock}): many robust process-shared locks in one raw payload, with
 * the segment lock's guarantees: mutual exclusion between JVMs, a SIGKILLed holder reported to the
 * next acquirer until a guard that saw it closes normally, relock and foreign-thread refusals,
 * timeouts, close refused while held, clear errors for bad offsets and options, and truncation
 * reported to a waiter.
 */
@Timeout(300)
class PayloadLockTest {
    /** Locks in the test segments, in slots 0 to LOCKS-1. */
    static final int LOCKS = 4;
    /** Payload size of the test segments: the lock slots, then one counter per lock. */
    static final int SIZE = LOCKS * PayloadLock.SLOT_BYTES + LOCKS * 64;
    private static final Duration START = ShmSandbox.START;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    /** @return the payload offset of the counter lock {@code i} guards, on a line of its own */
    static int counter(int i) {
        return LOCKS * PayloadLock.SLOT_BYTES + i * 64;
    }

    private static IpcArc<byte[]> create(String name) {
        return IpcArc.create(name, ShmType.bytes(SIZE), null,
                ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW).withPayloadLocks(0, LOCKS));
    }

    @Test
    void shouldExcludeBetweenJvmsLockByLock() {
        String name = sandbox.name("plocks");
        int n = 3_000;
        try (IpcArc<byte[]> arc = create(name)) {
            List<ChildJvm> children = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                children.add(sandbox.add(ChildJvm.start(PayloadLockChild.class, "increment", name, String.valueOf(n))));
            }
            for (ChildJvm c : children) {
                assertThat(c.awaitLine("DONE", START)).isEqualTo("DONE");
            }
            for (int i = 0; i < LOCKS; i++) {
                assertThat(arc.buffer().getLong(counter(i))).as("counter %d: every increment under its lock", i).isEqualTo(3L * n);
            }
        }
    }

    @Test
    void shouldReportAHolderKilledInsideUntilAGuardThatSawItClosesNormally() {
        String name = sandbox.name("pdeath");
        try (IpcArc<byte[]> arc = create(name)) {
            ChildJvm holder = sandbox.add(ChildJvm.start(PayloadLockChild.class, "hold", name, "2"));
            assertThat(holder.awaitLine("LOCKED", START)).isEqualTo("LOCKED ownerDied=false");
            holder.kill();
            // A recoverer that does not finish (killed too, before its guard closed) leaves it reported.
            ChildJvm recoverer = sandbox.add(ChildJvm.start(PayloadLockChild.class, "hold", name, "2"));
            assertThat(recoverer.awaitLine("LOCKED", START)).isEqualTo("LOCKED ownerDied=true");
            recoverer.kill();
            PayloadLock lock = arc.payloadLock(2 * PayloadLock.SLOT_BYTES);
            try (PayloadGuard g = lock.acquire(Duration.ofSeconds(10))) {
                assertThat(g.ownerDied()).as("still to be repaired").isTrue();
                assertThat(arc.buffer().getLong(counter(2))).as("the dead holder's half-done marker").isEqualTo(1);
                arc.buffer().putLong(counter(2), 0); // repaired
            }
            try (PayloadGuard g = lock.acquire()) {
                assertThat(g.ownerDied()).as("repaired by the guard that saw it").isFalse();
            }
            try (PayloadGuard g = arc.payloadLock(0).acquire()) {
                assertThat(g.ownerDied()).as("the other locks were never held").isFalse();
            }
        }
    }

    @Test
    void shouldRefuseRelockForeignCloseAndCloseWhileHeldAndTimeOut() throws Exception {
        String name = sandbox.name("prules");
        try (IpcArc<byte[]> arc = create(name)) {
            PayloadLock lock = arc.payloadLock(PayloadLock.SLOT_BYTES);
            try (PayloadGuard g = lock.acquire()) {
                assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already held by this thread").hasMessageContaining("name=" + name);
                assertThatThrownBy(() -> arc.payloadLock(PayloadLock.SLOT_BYTES).acquire())
                        .as("through another lock object of the same slot").isInstanceOf(IllegalStateException.class);
                assertThat(CompletableFuture.supplyAsync(() -> lock.tryAcquire().isPresent()).get()).as("busy").isFalse();
                assertThatThrownBy(() -> CompletableFuture.runAsync(() -> lock.acquire(Duration.ofMillis(100))).join())
                        .hasCauseInstanceOf(LockTimeoutException.class).hasMessageContaining("payloadLock=64");
                assertThatThrownBy(() -> CompletableFuture.runAsync(g::close).join())
                        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("thread that acquired it");
                assertThatThrownBy(arc::close).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("payloadLocksHeld=1");
                try (PayloadGuard other = arc.payloadLock(0).acquire()) {
                    assertThat(other.isHeld()).as("another lock of the same segment, at the same time").isTrue();
                }
            }
            Optional<PayloadGuard> free = lock.tryAcquire();
            assertThat(free).isPresent();
            free.get().close();
            assertThat(free.get().isHeld()).isFalse();
        }
    }

    @Test
    void shouldRefuseBadOptionsAndOffsets() {
        String name = sandbox.name("pbad");
        assertThatThrownBy(() -> IpcArc.create(name, ShmType.bytes(SIZE), null,
                ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.CRASH_ATOMIC).withPayloadLocks(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw payload");
        assertThatThrownBy(() -> IpcArc.create(name, ShmType.bytes(SIZE), null,
                ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW).withPayloadLocks(0, 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payloadSize=" + SIZE);
        assertThatThrownBy(() -> ArcOptions.defaults().withPayloadLocks(32, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=32");
        assertThat(ShmNames.exists(name)).as("nothing created").isFalse();
        try (IpcArc<byte[]> arc = create(name)) {
            assertThatThrownBy(() -> arc.payloadLock(32)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset=32").hasMessageContaining("name=" + name);
            assertThatThrownBy(() -> arc.payloadLock(SIZE)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> arc.payloadLock(LOCKS * PayloadLock.SLOT_BYTES).acquire())
                    .as("a slot no lock was initialised in").isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("not a payload lock").hasMessageContaining("name=" + name);
        }
        try (IpcArc<Long> atomic = IpcArc.create(sandbox.name("patomic"), 1L)) {
            assertThatThrownBy(() -> atomic.payloadLock(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("raw");
        }
    }

    @Test
    void shouldTellAWaiterThatTheSegmentWasTruncated() throws IOException, InterruptedException {
        String name = sandbox.name("ptrunc");
        IpcArc<byte[]> arc = create(name);
        PayloadLock lock = arc.payloadLock(0);
        PayloadGuard held = lock.acquire();
        AtomicReference<Throwable> waiter = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (PayloadGuard g = lock.acquire()) {
                waiter.set(new AssertionError("acquired a lock of a truncated segment"));
            } catch (Throwable e) {
                waiter.set(e);
            }
        });
        t.start();
        await().atMost(START).until(() -> t.getState() == Thread.State.RUNNABLE && waiterAsleep(t));
        try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
            ch.truncate(4096);
        }
        t.join(START.toMillis());
        assertThat(waiter.get()).isInstanceOf(CorruptSegmentException.class).hasMessageContaining("truncated")
                .hasMessageContaining("name=" + name);
        assertThatThrownBy(held::close).isInstanceOf(CorruptSegmentException.class).hasMessageContaining("name=" + name);
        arc.close(); // a truncated handle closes
        assertThat(arc.isOpen()).isFalse();
    }

    private static boolean waiterAsleep(Thread t) {
        // The waiter's thread sleeps in the futex system call (202 on x86_64, 98 on aarch64).
        String futex = "aarch64".equals(System.getProperty("os.arch")) ? "98 " : "202 ";
        try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
                if (t.getName().startsWith(comm) && java.nio.file.Files.readString(task.resolve("syscall")).startsWith(futex)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The snippet of {@link ArcOptions#withPayloadLocks}, run as written. */
    @Test
    void shouldRunTheSnippetOfWithPayloadLocks() {
        String name = sandbox.name("striped");
ArcOptions striped = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW).withPayloadLocks(0, 4);
try (IpcArc<byte[]> a = IpcArc.create(name, ShmType.bytes(4 * PayloadLock.SLOT_BYTES + 1024), null, striped);
     PayloadGuard g = a.payloadLock(64).acquire()) {
    a.buffer().getAndAddLong(4 * PayloadLock.SLOT_BYTES, 1); // what lock 1 guards, say
}
        assertThat(ShmNames.exists(name)).isFalse();
        assertSnippetRunsHere("ArcOptions.java");
    }

    /** The snippet of {@link PayloadLock}, run as written on a segment made as the one above makes it. */
    @Test
    void shouldRunTheSnippetOfPayloadLock() {
        String name = sandbox.name("striped");
        ArcOptions striped = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW).withPayloadLocks(0, 4);
        try (IpcArc<byte[]> keeper = IpcArc.create(name, ShmType.bytes(4 * PayloadLock.SLOT_BYTES + 1024), null, striped)) {
try (IpcArc<byte[]> map = IpcArc.load(name, ShmType.bytes(4 * PayloadLock.SLOT_BYTES + 1024));
     PayloadGuard g = map.payloadLock(2 * PayloadLock.SLOT_BYTES).acquire()) {
    if (g.ownerDied()) {
        // a holder died inside: repair what this lock guards before going on
    }
    map.buffer().putLong(4 * PayloadLock.SLOT_BYTES + 16, 7);
}
            assertThat(keeper.buffer().getLong(4 * PayloadLock.SLOT_BYTES + 16)).isEqualTo(7);
        }
        assertSnippetRunsHere("PayloadLock.java");
    }

    private static void assertSnippetRunsHere(String apiSource) {
        List<List<String>> snippets = Snippets.javadoc(Path.of("../ipcarc-api/src/main/java/io/ipcarc/" + apiSource)).stream()
                .filter(s -> String.join("\n", s).contains("PayloadGuard")).toList();
        assertThat(snippets).as(apiSource).hasSize(1);
        assertThat(Snippets.appearsIn(snippets.get(0), Path.of("src/test/java/io/ipcarc/posix/PayloadLockTest.java")))
                .as("the snippet of %s runs in this test", apiSource).isTrue();
    }
}
