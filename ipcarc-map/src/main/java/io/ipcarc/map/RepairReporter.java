package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.LOCK_DEAD_OWNER_PID;

import io.ipcarc.SharedBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the listener (on the repairing thread), the handle's counter and the log about each
 * repair. The log line is written by a daemon thread, so that a writer that repairs a stripe does
 * not wait for the logging back end (java.util.logging takes tens of milliseconds to format and
 * print its first record).
 */
final class RepairReporter {
    private static final System.Logger LOG = System.getLogger("io.ipcarc.map");

    /** The daemon thread that writes the log lines, started on the first repair of the JVM. */
    private static final class Writer extends Thread {
        static final java.util.concurrent.LinkedBlockingQueue<String> LINES = new java.util.concurrent.LinkedBlockingQueue<>();

        static {
            new Writer().start();
        }

        private Writer() {
            super("ipcarc-map-repair-log");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                try {
                    LOG.log(System.Logger.Level.WARNING, LINES.take());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private final String name;
    private final SharedBuffer buf;
    private final MapRepairListener listener;
    private final AtomicLong count = new AtomicLong();

    RepairReporter(String name, SharedBuffer buf, MapRepairListener listener) {
        this.name = name;
        this.buf = buf;
        this.listener = listener;
    }

    void report(int stripe, int lockOffset, boolean ownerDied, String action) {
        int deadPid = ownerDied ? buf.getInt(lockOffset + LOCK_DEAD_OWNER_PID) : 0;
        MapRepair r = new MapRepair(name, stripe, ownerDied, deadPid, action);
        count.incrementAndGet();
        String line = "map repaired: name=" + name + ", stripe=" + stripe + ", ownerDied=" + ownerDied + ", deadOwnerPid="
                + deadPid + ", action=" + action;
        Writer.LINES.add(line);
        if (listener != null) {
            try {
                listener.repaired(r);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "map repair listener failed: name=" + name, e);
            }
        }
    }

    long count() {
        return count.get();
    }
}
