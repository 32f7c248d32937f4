package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handle's closed state and what makes close() refuse (a thread holding the lock through the
 * handle, or waiting for it), on the lock paths and the lock-free read(); close racing with
 * acquire; and the memory of a segment given back when its last handle closes.
 */
class HandleStateTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldRefuseToCloseWhileThisThreadHoldsTheLockAndCloseAfterRelease() {
        IpcArc<Long> arc = IpcArc.create(names.next("inuse"), 1L);
        try (Guard<Long> g = arc.acquire()) {
            assertThatThrownBy(arc::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            assertThat(arc.isOpen()).isTrue();
            g.set(2L);
        }
        assertThat(arc.read()).isEqualTo(2L);
        arc.close();
        assertThat(arc.isOpen()).isFalse();
    }

    @Test
    void shouldRefuseAcquireAndLockFreeReadAfterCloseAndStayClosed() {
        IpcArc<Long> arc = IpcArc.create(names.next("closed"), 1L);
        arc.close();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(arc::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(arc::read).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(arc::tryAcquire).isInstanceOf(IllegalStateException.class);
        }
        assertThat(arc.isOpen()).as("refused acquires leave the handle closed").isFalse();
        arc.close(); // idempotent
    }

    @Test
    void shouldRefuseToCloseWhileAnotherThreadHoldsTheLockThroughItButNotThroughAnotherHandle() throws Exception {
        String name = names.next("inuse-thread");
        try (IpcArc<Long> creator = IpcArc.create(name, 1L)) {
            IpcArc<Long> arc = IpcArc.load(name, Long.class);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Guard<Long> g = arc.acquire()) {
                    held.countDown();
                    release.await();
                    g.set(2L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "holder-thread");
            holder.start();
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(arc::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use")
                    .hasMessageContaining("lockHolder=holder-thread").hasMessageContaining(name);
            assertThat(arc.isOpen()).isTrue();
            IpcArc<Long> third = IpcArc.load(name, Long.class);
            third.close(); // the lock is held through another handle: this one closes
            assertThat(third.isOpen()).isFalse();

            release.countDown();
            holder.join(30_000);
            assertThat(holder.isAlive()).isFalse();
            arc.close();
            assertThat(creator.read()).isEqualTo(2L);
        }
    }

    /**
     * Rounds of: a fresh handle, two threads acquiring and updating through it in a loop, and a
     * close from the main thread at a random moment (retried while it is refused as in use). The
     * uncontended acquire makes no atomic operation of its own, so a close may race with it in
     * every way; each round must end with both threads refused as closed, the lock free, and
     * exactly the updates whose set() succeeded in the value (each such guard then published it).
     */
    @Test
    void shouldKeepTheLockAndEveryUpdateWhenCloseRacesWithAcquiresOnOtherThreads() throws Exception {
        String name = names.next("close-race");
        try (IpcArc<Long> keeper = IpcArc.create(name, 0L)) {
            AtomicLong sets = new AtomicLong();
            AtomicLong refusals = new AtomicLong();
            for (int round = 0; round < 300; round++) {
                IpcArc<Long> arc = IpcArc.load(name, Long.class);
                CountDownLatch started = new CountDownLatch(2);
                List<Thread> workers = new ArrayList<>();
                List<Throwable> failures = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    Thread w = new Thread(() -> {
                        started.countDown();
                        while (true) {
                            Guard<Long> g;
                            try {
                                g = arc.acquire();
                            } catch (IllegalStateException closed) {
                                assertThat(closed).hasMessageContaining("closed");
                                refusals.incrementAndGet();
                                return;
                            }
                            try (g) {
                                g.set(g.get() + 1);
                                sets.incrementAndGet();
                            } catch (IllegalStateException closedMeanwhile) {
                                // acquired in the instant close() ran: the guard refuses, and releases on close
                                assertThat(closedMeanwhile).hasMessageContaining("closed");
                            }
                        }
                    }, "racer-" + round + "-" + t);
                    w.setUncaughtExceptionHandler((th, e) -> {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    });
                    w.setDaemon(true); // a failed round must not keep the test JVM busy
                    workers.add(w);
                    w.start();
                }
                try {
                    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
                    long spin = ThreadLocalRandom.current().nextLong(20_000);
                    for (long end = System.nanoTime() + spin; System.nanoTime() < end; ) {
                        Thread.onSpinWait();
                    }
                } finally {
                    while (true) {
                        try {
                            arc.close();
                            break;
                        } catch (IllegalStateException inUse) {
                            assertThat(inUse).hasMessageContaining("in use");
                            Thread.onSpinWait();
                        }
                    }
                }
                for (Thread w : workers) {
                    w.join(30_000);
                    assertThat(w.isAlive()).as("a worker still running after the close").isFalse();
                }
                synchronized (failures) {
                    assertThat(failures).isEmpty();
                }
            }
            assertThat(refusals.get()).as("every worker of every round was refused once closed").isEqualTo(600);
            try (Guard<Long> g = keeper.tryAcquire().orElseThrow(() -> new AssertionError("the lock was left held"))) {
                assertThat(g.get()).as("exactly the published updates").isEqualTo(sets.get());
            }
            assertThat(sets.get()).isPositive();
        }
    }

    @Test
    void shouldGiveTheMemoryBackWhenTheLastHandleClosesWhileTheClosedHandleIsStillReachable() throws Exception {
        int size = 64 << 20;
        String name = names.next("freed");
        IpcArc<byte[]> arc = IpcArc.create(name, ShmType.bytes(size), new byte[size]);
        // The segment's own allocation (st_blocks), through a descriptor of the test's own: it keeps
        // the object readable after the unlink, and no page of it (the close punches them out).
        Path file = ShmNames.file(name);
        List<Path> library = descriptorsOf(file);
        try (FileChannel own = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Path> mine = descriptorsOf(file);
            mine.removeAll(library);
            assertThat(mine).as("this test's descriptor of %s", file).hasSize(1);
            Path fd = mine.get(0);
            assertThat(allocatedBytes(fd)).as("the segment's pages are allocated at create").isGreaterThanOrEqualTo(size);

            arc.close(); // the last handle: unlinked, and its mapping kept until unreachable

            assertThat(ShmNames.exists(name)).isFalse();
            assertThat(allocatedBytes(fd)).as("given back at close, not when the mapping is unmapped: all but the first page")
                    .isLessThanOrEqualTo(4096);
            assertThat(arc.isOpen()).isFalse(); // still reachable here
        }
    }

    /** This process's open descriptors of {@code file}, as {@code /proc/PID/fd/N} (readable by another process). */
    private static List<Path> descriptorsOf(Path file) throws IOException {
        Path dir = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd");
        try (Stream<Path> fds = Files.list(dir)) {
            return fds.filter(fd -> file.equals(target(fd))).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static Path target(Path fd) {
        try {
            return Files.readSymbolicLink(fd);
        } catch (IOException e) {
            return null; // closed meanwhile (by another thread, or the listing's own)
        }
    }

    /** What the file open on {@code fd} has allocated, from its st_blocks ({@code stat -L}, which follows the descriptor). */
    private static long allocatedBytes(Path fd) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-L", "-c", "%b %B", fd.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(stat.waitFor(30, TimeUnit.SECONDS)).as("stat of %s", fd).isTrue();
        assertThat(stat.exitValue()).as("stat of %s: %s", fd, out).isZero();
        String[] blocksAndUnit = out.split(" ");
        return Long.parseLong(blocksAndUnit[0]) * Long.parseLong(blocksAndUnit[1]);
    }
}
