package io.ipcarc.samples.quickstart;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.time.Duration;

/**
 * The README's quick start: processes started at once, in any order, share one counter. The first
 * to come creates it, the others load it ({@code openOrCreate}, so none of them can miss it); each
 * adds its increments under the process-shared lock, then waits until every process has added
 * its share, so that no process closes the counter (the last close removes it) before the
 * others have opened it.
 *
 * <pre>java -cp ... io.ipcarc.samples.quickstart.Counter NAME PROCESSES INCREMENTS</pre>
 * prints {@code counter=TOTAL created=true|false} and exits 0, or exits 1 if the total does not
 * come within a minute.
 */
public final class Counter {
    private Counter() {
    }

    /**
     * @param args the counter's name, how many processes share it, the increments of each
     * @throws InterruptedException if interrupted while waiting for the others
     */
    public static void main(String[] args) throws InterruptedException {
        String name = args[0];
        long total = Long.parseLong(args[1]) * Long.parseLong(args[2]);
        int increments = Integer.parseInt(args[2]);
        try (IpcArc<Long> counter = IpcArc.openOrCreate(name, 0L)) {
            for (int i = 0; i < increments; i++) {
                try (Guard<Long> g = counter.acquire()) {
                    if (g.ownerDied()) {
                        System.out.println("a process died holding the lock: the value is its last committed one");
                    }
                    g.set(g.get() + 1);
                }
            }
            // Every release of the lock is a change: sleep until the others' increments are in.
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            long version = counter.version();
            while (counter.read() < total && System.nanoTime() < deadline) {
                version = counter.awaitChange(version, Duration.ofSeconds(1));
            }
            System.out.println("counter=" + counter.read() + " created=" + counter.created());
            if (counter.read() != total) {
                System.exit(1);
            }
        }
    }
}
