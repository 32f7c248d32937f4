package io.ipcarc.testing;

import io.ipcarc.ArcOptions;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.ShmType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The child side of the virtual-thread test (run on JDK 21+ with few carrier threads): many
 * more virtual threads than carriers acquire, wait for changes and read, and each result is
 * printed as one line. Compiled for JDK 17, so virtual threads are made by reflection.
 */
final class VirtualThreads {
    private static final int THREADS = 256;
    private static final int INCREMENTS = 100;
    private static final int WAITERS = 64;

    private VirtualThreads() {
    }

    static void run(String name) {
        try (IpcArc<Long> arc = IpcArc.create(name, 0L);
             IpcArc<Long> raw = IpcArc.create(name + "-raw", ShmType.of(Long.class), 0L,
                     ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW))) {
            counting(arc);
            waiting(arc);
            tryAndTimeout(arc);
            rawRead(raw);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.out.println("INTERRUPTED " + e);
        }
    }

    /** 256 virtual threads and one platform thread increment under the lock. */
    private static void counting(IpcArc<Long> arc) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int t = 0; t < THREADS; t++) {
            threads.add(virtual(() -> {
                try {
                    for (int i = 0; i < INCREMENTS; i++) {
                        try (Guard<Long> g = arc.acquire()) {
                            g.set(g.get() + 1);
                        }
                    }
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    System.out.println("FAILED " + e);
                }
            }));
        }
        for (int i = 0; i < INCREMENTS; i++) {
            try (Guard<Long> g = arc.acquire()) {
                g.set(g.get() + 1);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("COUNT " + arc.read() + " failures=" + failures.get());
    }

    /** 64 virtual threads sleep in awaitChange; a new virtual thread must still run at once. */
    private static void waiting(IpcArc<Long> arc) throws InterruptedException {
        long v = arc.version();
        AtomicInteger woke = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waiters.add(virtual(() -> {
                try {
                    if (arc.awaitChange(v) != v) {
                        woke.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : waiters) {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
        }
        long t0 = System.nanoTime();
        Thread probe = virtual(() -> { });
        probe.join();
        System.out.println("NEW_VIRTUAL_THREAD_RAN_WITHIN_MS " + (System.nanoTime() - t0) / 1_000_000);
        try (Guard<Long> g = arc.acquire()) {
            g.set(g.get() + 1);
        }
        for (Thread t : waiters) {
            t.join();
        }
        System.out.println("WOKE " + woke.get());
    }

    /** tryAcquire on a virtual thread while another holds the lock; a timed acquire times out. */
    private static void tryAndTimeout(IpcArc<Long> arc) throws InterruptedException {
        AtomicInteger state = new AtomicInteger();
        Thread holder = virtual(() -> {
            try (Guard<Long> g = arc.acquire()) {
                state.set(1);
                while (state.get() != 2) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        });
        while (state.get() != 1) {
            Thread.onSpinWait();
        }
        StringBuilder out = new StringBuilder();
        Thread other = virtual(() -> {
            out.append("TRY ").append(arc.tryAcquire().isPresent() ? "acquired" : "busy");
            try (Guard<Long> g = arc.acquire(Duration.ofMillis(100))) {
                out.append(" TIMED acquired");
            } catch (LockTimeoutException e) {
                out.append(" TIMED timeout");
            }
        });
        other.join();
        state.set(2);
        holder.join();
        System.out.println(out);
    }

    /** A virtual thread's read() of a raw payload waits for a platform holder instead of failing. */
    private static void rawRead(IpcArc<Long> raw) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        Thread reader;
        try (Guard<Long> g = raw.acquire()) {
            g.set(41L); // the word is odd now: read() must wait for this guard
            reader = virtual(() -> out.append("RAW_READ ").append(raw.read()));
            LockSupport.parkNanos(200_000_000L);
            g.set(42L);
        }
        reader.join();
        System.out.println(out);
    }

    private static Thread virtual(Runnable r) {
        try {
            return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no virtual threads on this JDK: " + e, e);
        }
    }
}
