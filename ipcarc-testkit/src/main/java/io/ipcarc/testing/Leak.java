package io.ipcarc.testing;

import io.ipcarc.IpcArc;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The child side of the leak test: loads a segment, drops the handle without closing it, runs
 * the garbage collector until the library's leak warning arrives, prints the warning and its
 * stack trace, and stays alive so that the test can see the reference returned by the Cleaner
 * (not by the shutdown hook).
 */
final class Leak {
    /** Kept strongly: java.util.logging holds loggers weakly. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("io.ipcarc");

    private Leak() {
    }

    static void run(String name) {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        LIBRARY_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        openAndForget(name);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (warnings.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            LockSupport.parkNanos(20_000_000L);
        }
        for (LogRecord r : warnings) {
            System.out.println("WARNING " + r.getMessage());
            Throwable t = r.getThrown();
            System.out.println("STACK " + (t == null ? "none" : t.getMessage() + " " + Arrays.stream(t.getStackTrace())
                    .map(StackTraceElement::toString).collect(Collectors.joining(" <- "))));
        }
        System.out.println("WARNINGS " + warnings.size());
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }

    private static void openAndForget(String name) {
        IpcArc<Long> arc = IpcArc.load(name, Long.class);
        System.out.println("LOADED refCount=" + arc.refCount());
        // no close(): the handle becomes unreachable when this method returns
    }
}
