package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.ipcarc.posix.segment.SegmentDescriptor;

/** {@code version()} and {@code awaitChange}: futex sleeps woken by the release of a guard. */
@Timeout(120)
class ChangeWaitTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldWakeAWaiterInAnotherJvmEachTimeAGuardIsReleased() throws Exception {
        String name = sandbox.name("await-xproc");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            ChildJvm waiter = sandbox.start("await-changes", name, "3");
            long v = Long.parseLong(waiter.awaitLine("WAITING", START).split(" ")[1]);
            for (long value = 1; value <= 3; value++) {
                // the waiter is asleep in the kernel, counted in the segment's waiter word
                await().atMost(START).until(() -> waitersWord(name) == 1);
                try (Guard<Long> g = arc.acquire()) {
                    g.set(value);
                }
                v += 2;
                assertThat(waiter.awaitLine("CHANGED " + v + " ", START)).isEqualTo("CHANGED " + v + " " + value);
            }
            waiter.awaitLine("DONE", START);
            assertThat(waiter.awaitExit(START)).isZero();
            assertThat(waitersWord(name)).isZero();
            // each release found the sleeper counted (it is out of the count only for the
            // instants between its 50 ms slices) and made the wake-up call
            assertThat(((PosixIpcArc<Long>) arc).wakeups()).isBetween(1L, 3L);
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldForgetTheWaitersOfAProcessKilledInItsSleep() throws Exception {
        String name = sandbox.name("await-killed");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            // The sleeper leaves the count for an instant between its 50 ms slices; a kill that
            // lands there leaves nothing to reap, so such a try starts again with a new sleeper.
            boolean killedWhileCounted = false;
            for (int attempt = 0; attempt < 5 && !killedWhileCounted; attempt++) {
                ChildJvm waiter = sandbox.start("await-changes", name, "-1");
                waiter.awaitLine("WAITING", START);
                await().atMost(START).until(() -> waitersWord(name) == 1);
                waiter.kill();
                killedWhileCounted = waitersWord(name) == 1;
            }
            assertThat(killedWhileCounted).as("nobody counted the dead sleeper out yet (in one of 5 tries)").isTrue();
            // any load or close reaps the dead holder, and with it its waiter count
            IpcArc.load(name, Long.class).close();
            assertThat(waitersWord(name)).isZero();
            long v = arc.version();
            try (Guard<Long> g = arc.acquire()) {
                g.set(5L);
            }
            assertThat(arc.awaitChange(v, Duration.ZERO)).isEqualTo(v + 2);
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldTakeTheWaitersOfAJvmThatExitsWhileOneOfItsThreadsSleeps() throws Exception {
        String name = sandbox.name("await-exit");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            ChildJvm waiter = sandbox.start("await-in-daemon", name);
            waiter.awaitLine("STARTED", START);
            await().atMost(START).until(() -> waitersWord(name) == 1);
            waiter.terminate(); // SIGTERM: the shutdown hook releases the handle under the sleeping thread
            assertThat(waiter.awaitExit(START)).isNotNegative();
            assertThat(arc.refCount()).isEqualTo(1);
            assertThat(waitersWord(name)).as("the release took the sleeper's count off, once").isZero();
            long v = arc.version();
            try (Guard<Long> g = arc.acquire()) {
                g.set(1L);
            }
            assertThat(((PosixIpcArc<Long>) arc).wakeups()).as("no wake-up for a waiter that is gone").isZero();
            assertThat(arc.version()).isEqualTo(v + 2);
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldWakeAThreadOfTheSameProcess() throws Exception {
        String name = sandbox.name("await-thread");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            long v = arc.version();
            CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return arc.awaitChange(v);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(START).until(() -> waitersWord(name) == 1);
            assertThat(next).isNotDone();
            try (Guard<Long> g = arc.acquire()) {
                g.set(1L);
            }
            assertThat(next.get()).isEqualTo(v + 2);
            assertThat(arc.read()).isEqualTo(1L);
            assertThat(((PosixIpcArc<Long>) arc).wakeups()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseAwaitChangeAtOnceOnTheThreadThatHoldsTheLock() throws Exception {
        String name = sandbox.name("await-holder");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L); IpcArc<Long> other = IpcArc.load(name, Long.class)) {
            long v = arc.version();
            try (Guard<Long> g = arc.acquire()) {
                assertThatThrownBy(() -> arc.awaitChange(v)).as("untimed: it would wait for ever")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds the lock").hasMessageContaining(name);
                assertThatThrownBy(() -> other.awaitChange(v, Duration.ofSeconds(30))).as("through another handle too")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds the lock");
                g.set(2L);
            }
            assertThat(arc.awaitChange(v, Duration.ofSeconds(30))).isEqualTo(v + 2);
        }
    }

    @Test
    void shouldReturnTheSameVersionWhenNothingChangedInTime() throws Exception {
        String name = sandbox.name("await-timeout");
        try (IpcArc<Long> arc = IpcArc.create(name, 7L)) {
            long v = arc.version();
            assertThat(v % 2).isZero();
            assertThat(arc.read()).isEqualTo(7L);
            assertThat(arc.version()).as("read() is not a change").isEqualTo(v);
            assertThat(arc.awaitChange(v, Duration.ofMillis(30))).isEqualTo(v);
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.get()).isEqualTo(7L);
            }
            assertThat(arc.version()).as("a guard that wrote nothing is no change").isEqualTo(v);
            try (Guard<Long> g = arc.acquire()) {
                g.set(8L);
                assertThat(arc.version()).as("a writer is not a change until it releases").isEqualTo(v);
            }
            assertThat(arc.version()).isEqualTo(v + 2);
            assertThat(arc.awaitChange(v, Duration.ofSeconds(30))).as("returns at once for an old version").isEqualTo(v + 2);
            for (int i = 0; i < 100; i++) {
                try (Guard<Long> g = arc.acquire()) {
                    g.set((long) i);
                }
            }
            assertThat(((PosixIpcArc<Long>) arc).wakeups()).as("no system call while nobody waits").isZero();
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> arc.awaitChange(arc.version(), Duration.ofSeconds(30))).as("interrupted on entry")
                    .isInstanceOf(InterruptedException.class).hasMessageContaining(name);
            assertThat(Thread.interrupted()).as("the flag was cleared, as Object.wait does").isFalse();
            assertThatThrownBy(() -> arc.awaitChange(v + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("version=" + (v + 1)).hasMessageContaining(name);
        }
    }

    @Test
    void shouldStopWaitingWhenInterruptedAndRefuseCloseMeanwhile() throws Exception {
        String name = sandbox.name("await-interrupt");
        IpcArc<Long> arc = IpcArc.create(name, 0L);
        try {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    arc.awaitChange(arc.version());
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            await().atMost(START).until(() -> waitersWord(name) == 1);
            assertThatThrownBy(arc::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use").hasMessageContaining(name);
            assertThat(arc.isOpen()).isTrue();
            t.interrupt();
            t.join(START.toMillis());
            assertThat(t.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class).hasMessageContaining(name);
            assertThat(waitersWord(name)).isZero();
        } finally {
            arc.close();
        }
        assertThat(arc.isOpen()).isFalse();
        assertThatThrownBy(arc::version).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> arc.awaitChange(0)).isInstanceOf(IllegalStateException.class);
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldNotLetAWaiterSeeAnUnfinishedWrite() throws Exception {
        String name = sandbox.name("await-order");
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            CompletableFuture<Long> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    long v = arc.version();
                    long last = arc.read(); // the writes may all be done before this thread runs
                    while (last < 1000) {
                        v = arc.awaitChange(v, START);
                        long now = arc.read();
                        if (now < last) {
                            throw new AssertionError("went back: " + now + " after " + last);
                        }
                        last = now;
                    }
                    return last;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (long i = 1; i <= 1000; i++) {
                try (Guard<Long> g = arc.acquire()) {
                    g.set(i);
                }
            }
            assertThat(seen.get()).isEqualTo(1000L);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** Reads the waiter count straight from the file, as another process would see it. */
    private static int waitersWord(String name) throws IOException {
        try (FileChannel ch = FileChannel.open(ShmNames.file(name))) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            ch.read(b, SegmentDescriptor.WAITERS_OFFSET);
            return b.getInt(0);
        }
    }
}
