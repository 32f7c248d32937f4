package io.ipcarc.testing;

import io.ipcarc.ArcOptions;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcException;
import io.ipcarc.ShmType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** {@link Child} commands about a segment's life: create, load, open-or-create, close, a handle that outlives its object. */
final class LifecycleChild {
    private LifecycleChild() {
    }

    /** {@code load-close NAME N}: N loads and closes; a load that fails or sees fewer than 2 references is a failure. */
    static void loadClose(String[] args) {
        int n = Integer.parseInt(args[2]);
        int failures = 0;
        for (int i = 0; i < n; i++) {
            try {
                IpcArc<Long> arc = IpcArc.load(args[1], Long.class);
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

    /** {@code load-wait NAME}: loads, reports the reference count, stays until killed. */
    static void loadWait(String[] args) {
        IpcArc<?> arc = IpcArc.load(args[1]);
        System.out.println("LOADED refCount=" + arc.refCount());
        ChildIo.parkForever();
    }

    /** {@code load-exit NAME}: loads and exits without close(): the shutdown hook must release the reference. */
    static void loadExit(String[] args) {
        IpcArc<?> arc = IpcArc.load(args[1]);
        System.out.println("LOADED refCount=" + arc.refCount());
    }

    /** {@code try-load NAME}: one load, reporting the value or the failure with its errno and segment. */
    static void tryLoad(String[] args) {
        try (IpcArc<Long> arc = IpcArc.load(args[1], Long.class)) {
            System.out.println("LOADED value=" + arc.read() + " refCount=" + arc.refCount());
        } catch (IpcArcException e) {
            System.out.println("FAILED " + e.getClass().getName() + " errno=" + e.errnoName() + " segment="
                    + e.segment() + " message=" + e.getMessage());
        }
    }

    /**
     * {@code open-or-create NAME GO_FILE}: when the go file appears, openOrCreate with this pid as
     * the value, report which happened, and stay until the test stores -1.
     */
    static void openOrCreate(String[] args) {
        System.out.println("READY");
        Path go = Path.of(args[2]);
        while (!Files.exists(go)) {
            LockSupport.parkNanos(100_000); // eight spinning JVMs would starve the one that creates
        }
        // Eight cold JVMs on two shared cores: the creator's first pass through its code can
        // take longer than the default 5 s ready timeout (seen on JDK 25 at load 10).
        ArcOptions patient = ArcOptions.defaults().withReadyTimeout(Duration.ofSeconds(30));
        try (IpcArc<Long> arc = IpcArc.openOrCreate(args[1], ShmType.of(Long.class), ProcessHandle.current().pid(), patient)) {
            System.out.println("CREATED " + arc.created() + " value=" + arc.read());
            // stay until the test says so through the value
            while (arc.read() != -1L) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        System.out.println("DONE");
    }

    /** {@code create-stall NAME}: with -Dio.ipcarc.debug.stallBeforeReadyMillis the creator stops before READY. */
    static void createStall(String[] args) {
        IpcArc.create(args[1], 5L);
        System.out.println("CREATED");
        ChildIo.parkForever();
    }

    /**
     * {@code create-wait NAME VALUE|point|quote}: creates a Long (or, with "point", a
     * Records.Point(1, 2.5); with "quote", Records.Quote.of(3)), keeps the handle, stays alive.
     */
    static void createWait(String[] args) {
        String name = args[1];
        IpcArc<?> arc = args[2].equals("point") ? IpcArc.create(name, new Records.Point(1, 2.5))
                : args[2].equals("quote") ? IpcArc.create(name, Records.Quote.of(3))
                : IpcArc.create(name, Long.parseLong(args[2]));
        System.out.println("CREATED refCount=" + arc.refCount());
        ChildIo.parkForever();
    }

    /**
     * {@code hold-truncated NAME}: creates a segment and loads a second handle, then waits for
     * TRUNCATED on stdin (the test shrinks the object meanwhile) and tries tryAcquire, close and a
     * new load, printing each outcome; then returns from main with the second handle open, so
     * that the shutdown hook releases a handle of the truncated object.
     */
    static void holdTruncated(String[] args) {
        String name = args[1];
        IpcArc<Records.Triple> a = IpcArc.create(name, Records.Triple.of(3));
        IpcArc<Records.Triple> b = IpcArc.load(name, Records.Triple.class);
        System.out.println("READY refCount=" + b.refCount());
        ChildIo.awaitLine("TRUNCATED");
        // Within a bounded time (the process's truncation watcher), every call fails.
        String tryAcquire = ChildIo.outcome(() -> a.tryAcquire().ifPresent(Guard::close));
        for (long deadline = System.nanoTime() + 10_000_000_000L; tryAcquire.equals("ok") && System.nanoTime() < deadline; ) {
            LockSupport.parkNanos(1_000_000L);
            tryAcquire = ChildIo.outcome(() -> a.tryAcquire().ifPresent(Guard::close));
        }
        System.out.println("TRYACQUIRE " + tryAcquire);
        System.out.println("CLOSE " + ChildIo.outcome(a::close));
        System.out.println("LOAD " + ChildIo.outcome(() -> IpcArc.load(name, Records.Triple.class).close()));
        System.out.println("EXITING open=" + b.isOpen());
    }
}
