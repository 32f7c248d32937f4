package io.ipcarc.testing;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM whose segments another process truncates, round after round: the program the
 * truncation tests start. It reads commands on stdin and answers one line each.
 *
 * <ul>
 *   <li>{@code ROUND NAME holder}: loads the segment and starts three threads: one holds its lock
 *       and keeps setting the value, one spins on {@code read()}, one on {@code version()} and
 *       {@code refCount()}. Answers {@code READY} once all three run.</li>
 *   <li>{@code ROUND NAME waiter}: loads it and starts three threads that wait: in
 *       {@code acquire()}, in {@code acquire(Duration)} and in {@code awaitChange}. Answers
 *       {@code READY} once each is about to block (the parent then looks at the segment's words
 *       to see them asleep).</li>
 *   <li>{@code ARM}: the parent is about to truncate; answers {@code ARMED}. A
 *       {@link CorruptSegmentException} before that is a failure.</li>
 *   <li>{@code TRUNCATED}: the parent has truncated the object. Every thread must end with
 *       {@link CorruptSegmentException} within {@link #BOUND}; then every kind of call must throw
 *       it too, and the handle must close. Answers {@code DONE ok corruptMillis=N} or
 *       {@code DONE FAIL reason}.</li>
 *   <li>{@code QUIT}: exits 0.</li>
 * </ul>
 * Anything that escapes into a thread of this JVM is reported as a failure of the round, but for
 * the one limitation docs/design.md describes ("Truncation"): HotSpot's asynchronous error for a
 * fault of compiled code ({@link #LATE_FAULTS}), delivered at the thread's next safepoint poll,
 * which can be in the caller's code after the library call returned. Those are counted
 * ({@code late=N}) for the test to report.
 */
public final class TruncationVictim {
    /** How long every thread may take to see the truncation. */
    public static final Duration BOUND = Duration.ofSeconds(10);

    /**
     * The payload of the truncation tests: three longs (two pages with its header).
     *
     * @param a first
     * @param b second
     * @param c third
     */
    public record Triple(long a, long b, long c) {
    }

    /**
     * The messages of HotSpot's asynchronous error for a fault of compiled code on a vanished page:
     * JDK 17's, and JDK 21 and later's.
     */
    public static final List<String> LATE_FAULTS = List.of(
            "a fault occurred in a recent unsafe memory access operation in compiled Java code",
            "a fault occurred in an unsafe memory access operation");

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger late = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, Long> corruptAt = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private IpcArc<Triple> arc;
    /** Set just before the parent truncates: a CorruptSegmentException before it is a failure. */
    private volatile boolean armed;
    private volatile boolean truncated;
    private volatile long truncatedAt;

    private TruncationVictim() {
    }

    /**
     * Runs the command loop.
     *
     * @param args none
     * @throws IOException if stdin fails
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        TruncationVictim v = new TruncationVictim();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> v.escaped(t.getName(), e));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "ROUND" -> v.start(w[1], w[2]);
                case "ARM" -> {
                    v.armed = true;
                    System.out.println("ARMED");
                }
                case "TRUNCATED" -> v.finish();
                case "QUIT" -> {
                    System.out.println("BYE");
                    System.exit(0);
                }
                default -> System.out.println("FAIL unknown command: " + line);
            }
        }
    }

    private void start(String name, String role) {
        failures.clear();
        late.set(0);
        corruptAt.clear();
        threads.clear();
        armed = false;
        truncated = false;
        arc = IpcArc.load(name, Triple.class);
        CountDownLatch started = new CountDownLatch(3);
        if (role.equals("holder")) {
            CountDownLatch locked = new CountDownLatch(1);
            spawn("holder-set", () -> {
                try (Guard<Triple> g = arc.acquire()) {
                    locked.countDown();
                    started.countDown();
                    for (long i = 0; ; i++) {
                        g.set(new Triple(i, i, i));
                    }
                }
            });
            await(locked);
            spawn("spin-read", () -> {
                started.countDown();
                long sum = 0;
                while (true) {
                    sum += arc.read().a();
                }
            });
            spawn("spin-version", () -> {
                started.countDown();
                long sum = 0;
                while (true) {
                    sum += arc.version() + arc.refCount();
                }
            });
        } else {
            long version = arc.version();
            spawn("wait-acquire", () -> {
                started.countDown();
                try (Guard<Triple> g = arc.acquire()) {
                    failures.add("acquire() returned a guard on a truncated segment: ownerDied=" + g.ownerDied());
                }
            });
            spawn("wait-acquire-timed", () -> {
                started.countDown();
                try (Guard<Triple> g = arc.acquire(Duration.ofSeconds(30))) {
                    failures.add("acquire(30 s) returned a guard on a truncated segment: ownerDied=" + g.ownerDied());
                }
            });
            spawn("wait-change", () -> {
                started.countDown();
                long v = arc.awaitChange(version, Duration.ofSeconds(30));
                failures.add("awaitChange returned on a truncated segment: version=" + v);
            });
        }
        await(started);
        if (!role.equals("holder")) {
            awaitAsleep("wait-acquire", "wait-acquire-ti", "wait-change");
        }
        System.out.println("READY");
    }

    /**
     * Waits until each named thread sleeps in the futex system call, as the kernel reports it in
     * /proc/self/task/TID/syscall (the thread names are the Java names, cut to 15 bytes).
     */
    private void awaitAsleep(String... names) {
        long futex = "aarch64".equals(System.getProperty("os.arch")) ? 98 : 202;
        long deadline = System.nanoTime() + BOUND.toNanos();
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        while (System.nanoTime() < deadline) {
            int asleep = 0;
            try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.list(tasks)) {
                for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) all::iterator) {
                    String comm = read(t.resolve("comm"));
                    String sys = read(t.resolve("syscall"));
                    for (String n : names) {
                        if (comm.equals(n) && sys.startsWith(futex + " ")) {
                            asleep++;
                        }
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (asleep == names.length) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        failures.add("the waiters were not all asleep in the kernel within " + BOUND);
    }

    private static String read(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p).trim();
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }

    /** A scenario thread: it must end by throwing {@link CorruptSegmentException}, nothing else. */
    private void spawn(String what, Scenario body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (CorruptSegmentException e) {
                if (!armed) {
                    failures.add(what + ": CorruptSegmentException before the truncation: " + e.getMessage());
                }
                corruptAt.put(what, System.nanoTime());
            } catch (Throwable e) {
                escaped(what, e);
            }
        }, what);
        threads.add(t);
        t.start();
    }

    /** Something other than CorruptSegmentException reached a thread: a failure, or a late fault. */
    private void escaped(String where, Throwable e) {
        if (e instanceof InternalError && LATE_FAULTS.contains(e.getMessage())) {
            late.incrementAndGet();
            corruptAt.put(where, System.nanoTime());
        } else {
            failures.add(where + ": " + e);
        }
    }

    private void finish() throws InterruptedException {
        truncatedAt = System.nanoTime();
        truncated = true;
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                failures.add(t.getName() + ": no CorruptSegmentException within " + BOUND + " (hung)");
            }
        }
        checkEveryCall();
        try {
            arc.close();
        } catch (RuntimeException e) {
            failures.add("close() failed: " + e);
        }
        long slowest = corruptAt.values().stream().mapToLong(at -> at - truncatedAt).max().orElse(-1);
        System.out.println(failures.isEmpty() ? "DONE ok late=" + late.get() + " corruptMillis="
                + TimeUnit.NANOSECONDS.toMillis(Math.max(0, slowest)) : "DONE FAIL " + String.join(" | ", failures));
    }

    /** Every kind of call on the truncated segment's handle throws CorruptSegmentException. */
    private void checkEveryCall() {
        expectCorrupt("read()", () -> arc.read());
        expectCorrupt("version()", () -> arc.version());
        expectCorrupt("refCount()", () -> arc.refCount());
        expectCorrupt("tryAcquire()", () -> arc.tryAcquire().map(g -> {
            g.close();
            return "a guard";
        }));
        expectCorrupt("acquire()", () -> {
            try (Guard<Triple> g = arc.acquire()) {
                return Optional.of(g);
            }
        });
        expectCorrupt("awaitChange()", () -> arc.awaitChange(0, Duration.ZERO));
    }

    private void expectCorrupt(String call, Call c) {
        expectCorrupt(call, c, true);
    }

    /**
     * @param lateAllowed whether a late fault may surface here once: HotSpot raises a fault of an
     *     earlier call's compiled code at a later safepoint poll, which can be in this method, outside
     *     the call (docs/design.md, "Truncation"); it is counted and the call made again, which must
     *     then throw CorruptSegmentException
     */
    private void expectCorrupt(String call, Call c, boolean lateAllowed) {
        try {
            Object r = c.call();
            failures.add(call + " after the truncation returned " + r);
        } catch (CorruptSegmentException e) {
            if (!e.getMessage().contains(arc.name())) {
                failures.add(call + ": message does not name the segment: " + e.getMessage());
            }
        } catch (InternalError e) {
            if (lateAllowed && LATE_FAULTS.contains(e.getMessage())) {
                late.incrementAndGet();
                expectCorrupt(call, c, false);
            } else {
                failures.add(call + " after the truncation threw " + e);
            }
        } catch (Throwable e) {
            failures.add(call + " after the truncation threw " + e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("threads did not start in " + BOUND);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A scenario's body, which ends only by throwing. */
    @FunctionalInterface
    private interface Scenario {
        void run() throws Exception;
    }

    /** One call under test. */
    @FunctionalInterface
    private interface Call {
        Object call() throws Exception;
    }

    /**
     * The type of the segments the truncation tests make.
     *
     * @return the type
     */
    public static ShmType<Triple> type() {
        return ShmType.of(Triple.class);
    }
}
