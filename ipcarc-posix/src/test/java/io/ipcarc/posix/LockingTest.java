package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.testing.ShmNames;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock's contract within one process: Lock conventions, ownership, timeouts. */
@Timeout(60)
class LockingTest {
    private final ShmNames names = new ShmNames();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        names.close();
    }

    @Test
    void shouldThrowInsteadOfDeadlockingWhenOwnerReacquires() {
        try (IpcArc<Long> arc = IpcArc.create(names.next("reentry"), 1L);
             Guard<Long> g = arc.acquire()) {
            assertThatThrownBy(arc::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already held by this thread");
            assertThatThrownBy(arc::tryAcquire).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> arc.acquire(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);
            assertThat(g.isHeld()).isTrue();
        }
    }

    @Test
    void shouldRefuseToCloseGuardOnAnotherThreadAndKeepLockUsable() throws Exception {
        try (IpcArc<Long> arc = IpcArc.create(names.next("foreignclose"), 1L)) {
            Guard<Long> g = arc.acquire();
            Future<?> other = pool.submit(g::close);
            assertThatThrownBy(other::get).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be closed by the thread that acquired it");
            assertThat(g.isHeld()).isTrue();
            g.set(5L);
            g.close();
            g.close(); // idempotent
            assertThat(pool.submit(() -> arc.read()).get()).isEqualTo(5L);
        }
    }

    @Test
    void shouldTimeOutWithLockTimeoutExceptionWhileAnotherThreadHolds() throws Exception {
        try (IpcArc<Long> arc = IpcArc.create(names.next("timeout"), 1L)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = pool.submit(() -> {
                try (Guard<Long> g = arc.acquire()) {
                    held.countDown();
                    release.await();
                }
                return null;
            });
            held.await();
            assertThat(arc.tryAcquire()).isEmpty();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> arc.acquire(Duration.ofMillis(150))).isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("name=" + arc.name()).hasMessageContaining("timeout=PT0.15S")
                    .hasMessageContaining("ownerPid=" + ProcessHandle.current().pid());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            release.countDown();
            holder.get();
            Optional<Guard<Long>> g = arc.tryAcquire();
            assertThat(g).isPresent();
            g.get().close();
        }
    }

    @Test
    void shouldStopWaitingWhenInterrupted() throws Exception {
        try (IpcArc<Long> arc = IpcArc.create(names.next("interrupt"), 1L)) {
            Guard<Long> g = arc.acquire();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    arc.acquireInterruptibly().close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            waiter.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.RUNNABLE);
            waiter.interrupt();
            waiter.join(5000);
            assertThat(failure.get()).isInstanceOf(InterruptedException.class);
            g.close();
            assertThat(pool.submit(() -> arc.read()).get()).isEqualTo(1L);
        }
    }

    @Test
    void shouldHandTheLockToTheWaiterWhenReleased() throws Exception {
        try (IpcArc<Long> arc = IpcArc.create(names.next("handoff"), 0L)) {
            Guard<Long> g = arc.acquire();
            Future<Long> waiter = pool.submit(() -> {
                try (Guard<Long> w = arc.acquire(Duration.ofSeconds(10))) {
                    return w.get();
                }
            });
            g.set(7L);
            g.close();
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(7L);
        }
    }
}
