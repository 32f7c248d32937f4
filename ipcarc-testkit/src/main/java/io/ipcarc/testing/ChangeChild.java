package io.ipcarc.testing;

import io.ipcarc.IpcArc;
import java.time.Duration;

/** {@link Child} commands that wait for changes of a value ({@code awaitChange}). */
final class ChangeChild {
    private ChangeChild() {
    }

    /**
     * {@code await-changes NAME LAST}: reports each change of the value until it reaches LAST (at
     * most 60 s per wait; exit 2 on a timeout).
     */
    static void awaitChanges(String[] args) {
        long last = Long.parseLong(args[2]);
        try (IpcArc<Long> arc = IpcArc.load(args[1], Long.class)) {
            long v = arc.version();
            System.out.println("WAITING " + v);
            System.out.flush();
            while (arc.read() != last) {
                long next = arc.awaitChange(v, Duration.ofSeconds(60));
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

    /** {@code await-in-daemon NAME}: a daemon thread waits for a change for ever; the JVM ends on SIGTERM meanwhile. */
    static void awaitInDaemon(String[] args) {
        IpcArc<Long> arc = IpcArc.load(args[1], Long.class);
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
        ChildIo.parkForever();
    }
}
