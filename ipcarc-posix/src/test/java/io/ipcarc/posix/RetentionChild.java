package io.ipcarc.posix;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.SegmentNotFoundException;
import java.util.concurrent.locks.LockSupport;

/**
 * The child of {@link RetentionTest}: creates an {@code IpcArc<Long>} holding 5, commits
 * {@code VALUE} under a guard (so that the committed copy is copy 1 of the crash-atomic payload),
 * asks to keep the segment at its last close while the value is not 0, prints {@code CREATED}
 * and then lets its handle go one way:
 * <ul>
 *   <li>{@code close}: closes it and exits, printing {@code CLOSED};</li>
 *   <li>{@code term}: keeps it until SIGTERM (the shutdown hook releases it);</li>
 *   <li>{@code leak}: drops it unclosed, runs the GC until the cleaner released it (the segment's
 *       refcount is 0, or it is gone), prints {@code RELEASED} or {@code UNLINKED}, and stays alive.</li>
 * </ul>
 */
public final class RetentionChild {
    private RetentionChild() {
    }

    /**
     * @param args name, value, and {@code close}, {@code term} or {@code leak}
     */
    public static void main(String[] args) {
        String name = args[0];
        switch (args[2]) {
            case "close" -> {
                try (IpcArc<Long> arc = open(name, Long.parseLong(args[1]))) {
                    System.out.println("CREATED");
                }
                System.out.println("CLOSED");
            }
            case "term" -> {
                IpcArc<Long> arc = open(name, Long.parseLong(args[1]));
                System.out.println("CREATED refCount=" + arc.refCount());
                parkForever();
            }
            case "leak" -> {
                openAndForget(name, Long.parseLong(args[1]));
                long deadline = System.nanoTime() + 60_000_000_000L;
                String outcome = "TIMEOUT";
                while (System.nanoTime() < deadline) {
                    System.gc();
                    try {
                        if (IpcArcs.inspect(name).refCount() == 0) {
                            outcome = "RELEASED";
                            break;
                        }
                    } catch (SegmentNotFoundException e) {
                        outcome = "UNLINKED";
                        break;
                    }
                    LockSupport.parkNanos(20_000_000L);
                }
                System.out.println(outcome);
                parkForever();
            }
            default -> throw new IllegalArgumentException("unknown mode: " + args[2]);
        }
        System.out.flush();
    }

    private static IpcArc<Long> open(String name, long value) {
        IpcArc<Long> arc = IpcArc.create(name, 5L);
        try (Guard<Long> g = arc.acquire()) {
            g.set(value);
        }
        arc.retainOnLastClose(payload -> payload.getLong(0) != 0);
        return arc;
    }

    private static void openAndForget(String name, long value) {
        open(name, value);
        System.out.println("CREATED");
        System.out.flush();
    }

    private static void parkForever() {
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
