package io.ipcarc.testing;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;

/** {@link Child} commands that take the segment's lock: counting, holding it until killed, reporting an owner's death. */
final class LockingChild {
    private LockingChild() {
    }

    /** {@code increment NAME N [--after-go]}: N increments of an IpcArc&lt;Long&gt; under the lock. */
    static void increment(String[] args) {
        int n = Integer.parseInt(args[2]);
        try (IpcArc<Long> arc = IpcArc.load(args[1], Long.class)) {
            System.out.println("LOADED");
            if (args.length > 3 && args[3].equals("--after-go")) {
                ChildIo.awaitGo(); // so that several processes start incrementing at once
            }
            for (int i = 0; i < n; i++) {
                try (Guard<Long> g = arc.acquire()) {
                    g.set(g.get() + 1);
                }
            }
        }
        System.out.println("DONE");
    }

    /** {@code hold NAME VALUE}: acquire, write the value given, report, and keep the lock until killed. */
    static void hold(String[] args) {
        IpcArc<Long> arc = IpcArc.load(args[1], Long.class);
        Guard<Long> g = arc.acquire();
        System.out.println("OWNER_DIED " + g.ownerDied());
        g.set(Long.parseLong(args[2]));
        System.out.println("LOCKED");
        ChildIo.parkForever();
    }

    /** {@code acquire-report NAME [VALUE]}: acquire, report what the guard says, optionally store a new value, close normally. */
    static void acquireReport(String[] args) {
        try (IpcArc<Long> arc = IpcArc.load(args[1], Long.class); Guard<Long> g = arc.acquire()) {
            System.out.println("OWNER_DIED " + g.ownerDied() + " VALUE " + g.get());
            if (args.length > 2) {
                g.set(Long.parseLong(args[2]));
            }
        }
        System.out.println("DONE");
    }

    /**
     * {@code commit-loop NAME}: commits guard after guard on an IpcArc&lt;Triple&gt; until killed:
     * guard i ends with Triple.of(1000 i), written 16 x 10,000 times with set() (even i) or field
     * by field through buffer() (odd i), so that nearly all of the time is spent inside a guard,
     * in the middle of a write. Prints COMMITTED i after each guard closed.
     */
    static void commitLoop(String[] args) {
        IpcArc<Records.Triple> arc = IpcArc.load(args[1], Records.Triple.class);
        System.out.println("LOADED");
        for (long i = 1; ; i++) {
            try (Guard<Records.Triple> g = arc.acquire()) {
                // Sixteen passes: the guard must take far longer than the print between guards, so
                // that most kills land inside it, however fast a checked access is.
                for (int pass = 0; pass < 16; pass++) {
                    writeBlock(g, i);
                }
            }
            System.out.println("COMMITTED " + i);
        }
    }

    /** Writes the triples of block i, {@code 1000 i - 9999} to {@code 1000 i}, with set() (even i) or through buffer() (odd i). */
    private static void writeBlock(Guard<Records.Triple> g, long i) {
        long first = i * 1000 - 9_999;
        if ((i & 1) == 0) {
            for (long v = first; v <= i * 1000; v++) {
                g.set(Records.Triple.of(v));
            }
        } else {
            SharedBuffer b = g.buffer();
            for (long v = first; v <= i * 1000; v++) {
                b.putLong(0, v);
                b.putLong(8, 2 * v);
                b.putLong(16, 3 * v);
            }
        }
    }

    /**
     * {@code ns-worker NAME N}, for the PID-namespace test: loads an IpcArc&lt;Long&gt;, reports
     * its pid and the refcount, waits for GO, increments n times under the lock (on the main
     * thread, whose thread id is the same in every fresh namespace), reports, then waits for
     * CLOSE on stdin before closing.
     */
    static void nsWorker(String[] args) {
        int n = Integer.parseInt(args[2]);
        IpcArc<Long> arc = IpcArc.load(args[1], Long.class);
        System.out.println("LOADED pid=" + ProcessHandle.current().pid() + " refCount=" + arc.refCount());
        ChildIo.awaitLine("GO");
        for (int i = 0; i < n; i++) {
            try (Guard<Long> g = arc.acquire()) {
                g.set(g.get() + 1);
            }
        }
        System.out.println("COUNTED refCount=" + arc.refCount());
        ChildIo.awaitLine("CLOSE");
        arc.close();
        System.out.println("CLOSED");
    }

    /** {@code virtual NAME}: creates a segment and acquires it from a virtual thread (if there are any), then from this one. */
    static void virtual(String[] args) {
        try (IpcArc<Long> arc = IpcArc.create(args[1], 1L)) {
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
}
