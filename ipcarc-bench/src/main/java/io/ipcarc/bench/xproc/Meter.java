package io.ipcarc.bench.xproc;

import io.ipcarc.examples.Allocation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What one process of a throughput run measures about its own measuring thread during the
 * measured loop: heap bytes allocated (HotSpot's per-thread counter) and CPU time, printed with
 * its {@code DONE} or {@code END} line.
 */
final class Meter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long allocated0 = Allocation.ofThisThread();
    private final long cpu0 = THREADS.getCurrentThreadCpuTime();

    /** Prints {@code DONE <nanoTime> <allocated bytes> <cpu ns>} for a writer. */
    void done() {
        long t1 = System.nanoTime();
        System.out.println("DONE " + t1 + " " + (Allocation.ofThisThread() - allocated0) + " "
                + (THREADS.getCurrentThreadCpuTime() - cpu0));
    }

    /** Prints {@code END <nanoTime> <received> <lost> <bad> <allocated bytes> <cpu ns>} for a reader. */
    void end(long received, long lost, long bad) {
        long t1 = System.nanoTime();
        System.out.println("END " + t1 + " " + received + " " + lost + " " + bad + " " + (Allocation.ofThisThread() - allocated0)
                + " " + (THREADS.getCurrentThreadCpuTime() - cpu0));
    }
}
