package io.ipcarc.samples.quickstart;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.time.Duration;

/**
 * The README's quick start, as written there: processes started at once, in any order, share one
 * counter. The first to come creates it, the others load it ({@code openOrCreate}, so none of
 * them can miss it); each adds 1 under the process-shared lock, then waits until every process
 * has added its own, so that no process closes the counter (the last close removes it) before
 * the others have opened it.
 *
 * <pre>java -cp ... io.ipcarc.samples.quickstart.Counter NAME PROCESSES</pre>
 * prints {@code counter=PROCESSES created=true|false handles=N} and exits 0, or exits 1 if the
 * total does not come within a minute.
 */
public final class Counter {
    private Counter() {
    }

    /**
     * @param args the counter's name and how many processes share it
     * @throws InterruptedException if interrupted while waiting for the others
     */
    public static void main(String[] args) throws InterruptedException {
        String name = args[0];
        long processes = Long.parseLong(args[1]);
        // The README's lines (PublishedArtifactsTest checks that they are these):
        try (IpcArc<Long> counter = IpcArc.openOrCreate(name, 0L)) {  // the others load it, type checked
            try (Guard<Long> g = counter.acquire()) {                         // process-shared lock
                if (g.ownerDied()) { /* the last holder died holding it: repair */ }
                g.set(g.get() + 1);
            }
            long handles = counter.refCount();                                // open handles, all processes

            // Every release of the lock is a change: sleep until the others' increments are in.
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            long version = counter.version();
            while (counter.read() < processes && System.nanoTime() < deadline) {
                version = counter.awaitChange(version, Duration.ofSeconds(1));
            }
            System.out.println("counter=" + counter.read() + " created=" + counter.created() + " handles=" + handles);
            if (counter.read() != processes) {
                System.exit(1);
            }
        }
    }
}
