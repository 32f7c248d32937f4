package io.ipcarc.testing;

import io.ipcarc.Guard;
import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcException;
import io.ipcarc.ShmType;
import java.util.concurrent.locks.LockSupport;

/**
 * The program the cross-process tests start in separate JVMs. It prints one line per event
 * so that the test can wait for it.
 */
public final class Child {
    private Child() {
    }

    /**
     * Runs one command in this child JVM; the parent reads what it prints.
     *
     * @param args a command and its arguments
     */
    public static void main(String[] args) {
        String cmd = args[0];
        String name = args[1];
        switch (cmd) {
            case "increment" -> {
                int n = Integer.parseInt(args[2]);
                try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                    System.out.println("LOADED");
                    if (args.length > 3 && args[3].equals("--after-go")) {
                        awaitGo(); // so that several processes start incrementing at once
                    }
                    for (int i = 0; i < n; i++) {
                        try (Guard<Long> g = arc.acquire()) {
                            g.set(g.get() + 1);
                        }
                    }
                }
                System.out.println("DONE");
            }
            case "hold" -> {
                // acquire, write the value given, report, and keep the lock until killed
                IpcArc<Long> arc = IpcArc.load(name, Long.class);
                Guard<Long> g = arc.acquire();
                System.out.println("OWNER_DIED " + g.ownerDied());
                g.set(Long.parseLong(args[2]));
                System.out.println("LOCKED");
                parkForever();
            }
            case "load-close" -> {
                int n = Integer.parseInt(args[2]);
                int failures = 0;
                for (int i = 0; i < n; i++) {
                    try {
                        IpcArc<Long> arc = IpcArc.load(name, Long.class);
                        if (arc.refCount() < 2) {
                            failures++;
                        }
                        arc.close();
                    } catch (IpcArcException e) {
                        failures++;
                        System.out.println("FAILURE " + e);
                    }
                }
                System.out.println("DONE failures=" + failures);
            }
            case "load-wait" -> {
                IpcArc<?> arc = IpcArc.load(name);
                System.out.println("LOADED refCount=" + arc.refCount());
                parkForever();
            }
            case "load-exit" -> {
                IpcArc<?> arc = IpcArc.load(name);
                System.out.println("LOADED refCount=" + arc.refCount());
                // exits without close(): the shutdown hook must release the reference
            }
            case "open-or-create" -> {
                System.out.println("READY");
                java.nio.file.Path go = java.nio.file.Path.of(args[2]);
                while (!java.nio.file.Files.exists(go)) {
                    LockSupport.parkNanos(100_000); // eight spinning JVMs would starve the one that creates
                }
                // Eight cold JVMs on two shared cores: the creator's first pass through its code can
                // take longer than the default 5 s ready timeout (seen on JDK 25 at load 10).
                ArcOptions patient = ArcOptions.defaults().withReadyTimeout(java.time.Duration.ofSeconds(30));
                try (IpcArc<Long> arc = IpcArc.openOrCreate(name, ShmType.of(Long.class), ProcessHandle.current().pid(), patient)) {
                    System.out.println("CREATED " + arc.created() + " value=" + arc.read());
                    // stay until the test says so through the value
                    while (arc.read() != -1L) {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
                System.out.println("DONE");
            }
            case "fleet-read-set", "position-read", "quote-commit-loop" -> KindsChild.run(cmd, name);
            case "write-sample" -> {
                IpcArc<Records.Sample> arc = IpcArc.create(name, Records.sample());
                System.out.println("CREATED");
                parkForever();
            }
            case "read-sample" -> {
                try (IpcArc<Records.Sample> arc = IpcArc.load(name, Records.Sample.class)) {
                    Records.Sample s = arc.read();
                    System.out.println("EQUAL " + s.equals(Records.sample()) + " " + s);
                    try (Guard<Records.Sample> g = arc.acquire()) {
                        g.set(new Records.Sample((byte) 1, new Records.Point(1, 1.5), new long[] {4, 3, 2, 1}, false, 'a', (short) 1));
                    }
                }
                System.out.println("DONE");
            }
            case "create-stall" -> {
                // with -Dio.ipcarc.debug.stallBeforeReadyMillis the creator stops before READY
                IpcArc.create(name, 5L);
                System.out.println("CREATED");
                parkForever();
            }
            case "create-wait" -> {
                // create a Long (or, with "point", a Records.Point(1, 2.5); with "quote", Records.Quote.of(3)),
                // keep the handle, stay alive
                IpcArc<?> arc = args[2].equals("point") ? IpcArc.create(name, new Records.Point(1, 2.5))
                        : args[2].equals("quote") ? IpcArc.create(name, Records.Quote.of(3))
                        : IpcArc.create(name, Long.parseLong(args[2]));
                System.out.println("CREATED refCount=" + arc.refCount());
                parkForever();
            }
            case "commit-loop" -> commitLoop(name);
            case "read-on-demand" -> readOnDemand(name);
            case "hold-truncated" -> holdTruncated(name);
            case "ns-worker" -> nsWorker(name, Integer.parseInt(args[2]));
            case "names-and-sizes" -> NamesAndSizes.run(name);
            case "virtual-many" -> VirtualThreads.run(name);
            case "read-once" -> {
                // one lock-free read of an IpcArc<Long>; a torn raw value is reported, not returned
                try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                    System.out.println("READ " + arc.read());
                } catch (io.ipcarc.TornValueException e) {
                    System.out.println("TORN " + e.getMessage());
                }
            }
            case "acquire-report" -> {
                // acquire, report what the guard says, optionally store a new value, close normally
                try (IpcArc<Long> arc = IpcArc.load(name, Long.class); Guard<Long> g = arc.acquire()) {
                    System.out.println("OWNER_DIED " + g.ownerDied() + " VALUE " + g.get());
                    if (args.length > 2) {
                        g.set(Long.parseLong(args[2]));
                    }
                }
                System.out.println("DONE");
            }
            case "try-load" -> {
                try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                    System.out.println("LOADED value=" + arc.read() + " refCount=" + arc.refCount());
                } catch (IpcArcException e) {
                    System.out.println("FAILED " + e.getClass().getName() + " errno=" + e.errnoName() + " segment="
                            + e.segment() + " message=" + e.getMessage());
                }
            }
            case "leak" -> Leak.run(name);
            case "virtual" -> {
                try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
                    Runnable attempt = () -> {
                        try (Guard<Long> g = arc.acquire()) {
                            System.out.println("ACQUIRED " + g.get());
                        } catch (IllegalStateException e) {
                            System.out.println("REFUSED " + e.getMessage());
                        }
                    };
                    try {
                        Thread t = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, attempt);
                        t.join();
                    } catch (ReflectiveOperationException | InterruptedException e) {
                        System.out.println("NO_VIRTUAL_THREADS " + e);
                    }
                    attempt.run(); // a platform thread may take it
                }
            }
            case "churn-create" -> {
                // create and close the same name over and over, each time with a new value, from
                // when the go file appears until the stop file does (at most 60 s)
                java.nio.file.Path go = java.nio.file.Path.of(args[2]);
                java.nio.file.Path stop = java.nio.file.Path.of(args[3]);
                System.out.println("READY");
                System.out.flush();
                while (!java.nio.file.Files.exists(go)) {
                    Thread.onSpinWait();
                }
                long base = ProcessHandle.current().pid() << 32;
                long deadline = System.nanoTime() + 60_000_000_000L;
                int created = 0;
                for (int i = 0; !java.nio.file.Files.exists(stop) && System.nanoTime() < deadline; i++) {
                    try (IpcArc<Long> arc = IpcArc.create(name, base + i)) {
                        created++;
                        for (int spin = (i % 64) * 200; spin > 0; spin--) {
                            Thread.onSpinWait(); // hold it a varying moment: the loader's window
                        }
                    } catch (io.ipcarc.SegmentExistsException e) {
                        Thread.onSpinWait(); // the loader holds it: try again
                    }
                }
                System.out.println("DONE created=" + created);
            }
            case "churn-load" -> {
                // load in a loop; a handle must always be to the segment the name refers to. A failed
                // load takes microseconds, so a fixed count could end before the creator's first create:
                // go on until both outcomes were seen often enough (bounded by 45 s, inside the test's 60 s wait)
                int n = Integer.parseInt(args[2]);
                int enough = 50;
                long deadline = System.nanoTime() + 45_000_000_000L;
                java.nio.file.Path file = java.nio.file.Path.of("/dev/shm", name.substring(1));
                java.nio.file.Path go = java.nio.file.Path.of(args[4]);
                System.out.println("READY");
                System.out.flush();
                while (!java.nio.file.Files.exists(go)) {
                    Thread.onSpinWait();
                }
                int loaded = 0;
                int notFound = 0;
                int violations = 0;
                for (int i = 0; (i < n || loaded < enough || notFound < enough) && System.nanoTime() < deadline; i++) {
                    try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                        long mine = arc.read();
                        long onDisk;
                        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
                            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
                            ch.read(b, Integer.parseInt(args[3]));
                            onDisk = b.getLong(0);
                        } catch (java.io.IOException e) {
                            onDisk = -1;
                        }
                        if (onDisk != mine || arc.refCount() < 1) {
                            violations++;
                            System.out.println("VIOLATION mine=" + mine + " onDisk=" + onDisk);
                        }
                        loaded++;
                    } catch (io.ipcarc.SegmentNotFoundException e) {
                        notFound++;
                    }
                }
                System.out.println("DONE loaded=" + loaded + " notFound=" + notFound + " violations=" + violations);
            }
            case "await-changes" -> {
                // report each change of the value until it reaches the given one (at most 60 s per wait)
                long last = Long.parseLong(args[2]);
                try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                    long v = arc.version();
                    System.out.println("WAITING " + v);
                    System.out.flush();
                    while (true) {
                        long value = arc.read();
                        if (value == last) {
                            break;
                        }
                        long next = arc.awaitChange(v, java.time.Duration.ofSeconds(60));
                        if (next == v) {
                            System.out.println("TIMEOUT " + v);
                            System.exit(2);
                        }
                        v = next;
                        System.out.println("CHANGED " + v + " " + arc.read());
                        System.out.flush();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                System.out.println("DONE");
            }
            case "await-in-daemon" -> {
                // a daemon thread waits for a change for ever; the JVM ends on SIGTERM meanwhile
                IpcArc<Long> arc = IpcArc.load(name, Long.class);
                Thread t = new Thread(() -> {
                    try {
                        arc.awaitChange(arc.version());
                        System.out.println("CHANGED");
                    } catch (InterruptedException e) {
                        System.out.println("INTERRUPTED");
                    }
                }, "waiter");
                t.setDaemon(true);
                t.start();
                System.out.println("STARTED");
                parkForever();
            }
            case "rewrite-triple" -> rewriteTriple(name, args[2], args.length > 3 ? Long.parseLong(args[3]) : 0,
                    args.length > 4 ? Long.parseLong(args[4]) : 0);
            case "read-triple" -> readTriple(name, Long.parseLong(args[2]), Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("unknown command: " + cmd);
        }
        System.out.flush();
    }

    /**
     * Commits guard after guard on an IpcArc&lt;Triple&gt; until killed: guard i ends with
     * Triple.of(1000 i), written 16 x 10,000 times with set() (even i) or field by field through
     * buffer() (odd i), so that nearly all of the time is spent inside a guard, in the middle of a
     * write. Prints COMMITTED i after each guard closed.
     */
    private static void commitLoop(String name) {
        IpcArc<Records.Triple> arc = IpcArc.load(name, Records.Triple.class);
        System.out.println("LOADED");
        for (long i = 1; ; i++) {
            try (Guard<Records.Triple> g = arc.acquire()) {
                long first = i * 1000 - 9_999;
                // Sixteen passes: the guard must take far longer than the print between guards, so
                // that most kills land inside it, however fast a checked access is.
                for (int pass = 0; pass < 16; pass++) {
                    if ((i & 1) == 0) {
                        for (long v = first; v <= i * 1000; v++) {
                            g.set(Records.Triple.of(v));
                        }
                    } else {
                        io.ipcarc.SharedBuffer b = g.buffer();
                        for (long v = first; v <= i * 1000; v++) {
                            b.putLong(0, v);
                            b.putLong(8, 2 * v);
                            b.putLong(16, 3 * v);
                        }
                    }
                }
            }
            System.out.println("COMMITTED " + i);
        }
    }

    /**
     * Loads the IpcArc&lt;Triple&gt; segments named (comma-separated), then answers each line
     * {@code READ k id} on stdin with {@code VALUE id a b c}: a lock-free read of segment k.
     */
    private static void readOnDemand(String names) {
        String[] list = names.split(",");
        java.util.List<IpcArc<Records.Triple>> arcs = new java.util.ArrayList<>();
        for (String n : list) {
            arcs.add(IpcArc.load(n, Records.Triple.class));
        }
        System.out.println("LOADED " + arcs.size());
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                if (f[0].equals("READ")) {
                    Records.Triple t = arcs.get(Integer.parseInt(f[1])).read();
                    System.out.println("VALUE " + f[2] + " " + t.a() + " " + t.b() + " " + t.c());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        arcs.forEach(IpcArc::close);
    }

    /**
     * Creates a segment and loads a second handle, then waits for TRUNCATED on stdin (the test
     * shrinks the object meanwhile) and tries tryAcquire, close and a new load, printing each
     * outcome; then returns from main with the second handle open, so that the shutdown hook
     * releases a handle of the truncated object.
     */
    private static void holdTruncated(String name) {
        IpcArc<Records.Triple> a = IpcArc.create(name, Records.Triple.of(3));
        IpcArc<Records.Triple> b = IpcArc.load(name, Records.Triple.class);
        System.out.println("READY refCount=" + b.refCount());
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8))) {
            while (!"TRUNCATED".equals(in.readLine())) {
                Thread.onSpinWait();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Within a bounded time (the process's truncation watcher), every call fails.
        String tryAcquire = outcome(() -> a.tryAcquire().ifPresent(Guard::close));
        for (long deadline = System.nanoTime() + 10_000_000_000L; tryAcquire.equals("ok") && System.nanoTime() < deadline; ) {
            LockSupport.parkNanos(1_000_000L);
            tryAcquire = outcome(() -> a.tryAcquire().ifPresent(Guard::close));
        }
        System.out.println("TRYACQUIRE " + tryAcquire);
        System.out.println("CLOSE " + outcome(a::close));
        System.out.println("LOAD " + outcome(() -> IpcArc.load(name, Records.Triple.class).close()));
        System.out.println("EXITING open=" + b.isOpen());
    }

    private static String outcome(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }

    /**
     * For the PID-namespace test: loads an IpcArc&lt;Long&gt;, reports its pid and the refcount,
     * waits for GO, increments n times under the lock (on the main thread, whose thread id is the
     * same in every fresh namespace), reports, then waits for CLOSE on stdin before closing.
     */
    private static void nsWorker(String name, int n) {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8))) {
            IpcArc<Long> arc = IpcArc.load(name, Long.class);
            System.out.println("LOADED pid=" + ProcessHandle.current().pid() + " refCount=" + arc.refCount());
            while (!"GO".equals(in.readLine())) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < n; i++) {
                try (Guard<Long> g = arc.acquire()) {
                    g.set(g.get() + 1);
                }
            }
            System.out.println("COUNTED refCount=" + arc.refCount());
            while (!"CLOSE".equals(in.readLine())) {
                Thread.onSpinWait();
            }
            arc.close();
            System.out.println("CLOSED");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Rewrites the triple under the lock, as fast as it can, until the stop segment holds 1; with
     * {@code burstNanos > 0}, parks {@code pauseNanos} after each burst of that long, so that
     * readers slower than a guard (a Python process) find quiet moments between the bursts.
     */
    private static void rewriteTriple(String name, String stopName, long burstNanos, long pauseNanos) {
        long writes = 0;
        try (IpcArc<Records.Triple> arc = IpcArc.load(name, Records.Triple.class);
             IpcArc<Long> stop = IpcArc.load(stopName, Long.class)) {
            System.out.println("WRITING");
            System.out.flush();
            long burstStart = System.nanoTime();
            while ((writes & 1023) != 0 || stop.read() == 0L) {
                writes++;
                try (Guard<Records.Triple> g = arc.acquire()) {
                    g.set(Records.Triple.of(writes));
                }
                if (burstNanos > 0 && System.nanoTime() - burstStart > burstNanos) {
                    LockSupport.parkNanos(pauseNanos);
                    burstStart = System.nanoTime();
                }
            }
        }
        System.out.println("WROTE " + writes);
    }

    /** Calls the lock-free read() up to {@code count} times or for {@code millis}, and reports broken snapshots. */
    private static void readTriple(String name, long count, long millis) {
        long reads = 0;
        long broken = 0;
        long changes = 0;
        long deadline = System.nanoTime() + millis * 1_000_000L;
        try (IpcArc<Records.Triple> arc = IpcArc.load(name, Records.Triple.class)) {
            long last = -1;
            // at least count reads and enough changes to have overlapped the writer, but never past the deadline
            while ((reads < count || changes < 1000) && ((reads & 1023) != 0 || System.nanoTime() < deadline)) {
                Records.Triple t = arc.read();
                reads++;
                if (!t.consistent()) {
                    if (broken++ < 5) {
                        System.out.println("BROKEN " + t);
                    }
                }
                if (t.a() != last) {
                    changes++;
                    last = t.a();
                }
            }
        }
        System.out.println("DONE reads=" + reads + " broken=" + broken + " changes=" + changes);
    }

    /** Waits for a line on standard input. */
    private static void awaitGo() {
        System.out.flush();
        try {
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void parkForever() {
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
