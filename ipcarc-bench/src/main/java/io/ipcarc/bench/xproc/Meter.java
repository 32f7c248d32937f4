package io.ipcarc.bench.xproc;

import io.ipcarc.launcher.Allocation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What one process of a throughput run measures about its own measuring thread: CPU time over
 * the whole run, and heap bytes allocated (HotSpot's per-thread counter) from a warm point on
 * ({@link #mark(long)}, a quarter of the run in), so that what the JIT and the first calls
 * allocate once does not count as allocation per message. Printed with the {@code DONE} or
 * {@code END} line.
 */
final class Meter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long cpu0 = THREADS.getCurrentThreadCpuTime();
    private long allocated0 = Allocation.ofThisThread();
    private long markedAt;
    private boolean marked;

    /**
     * Starts counting allocation here, once.
     *
     * @param messages messages handled so far
     */
    void mark(long messages) {
        if (!marked) {
            marked = true;
            markedAt = messages;
            allocated0 = Allocation.ofThisThread();
        }
    }

    /**
     * Returns bytes allocated per message since the mark, up to {@code messages}.
     *
     * @return bytes allocated per message since the mark, up to {@code messages}
     */
    private double allocatedPerMessage(long messages) {
        long allocated = Allocation.ofThisThread() - allocated0;
        return messages > markedAt ? (double) allocated / (messages - markedAt) : 0;
    }

    /**
     * Prints {@code DONE <nanoTime> <allocated bytes per message after the mark> <cpu ns>} for a writer.
     *
     * @param messages messages written
     */
    void done(long messages) {
        long t1 = System.nanoTime();
        double alloc = allocatedPerMessage(messages);
        System.out.println("DONE " + t1 + " " + alloc + " " + (THREADS.getCurrentThreadCpuTime() - cpu0));
    }

    /**
     * Prints {@code END <nanoTime> <received> <lost> <bad> <allocated bytes per message after the mark> <cpu ns>} for a reader.
     *
     * @param messages the sequence the reader reached (received or lost)
     * @param received messages received
     * @param lost messages lost
     * @param bad messages that failed their check
     */
    void end(long messages, long received, long lost, long bad) {
        long t1 = System.nanoTime();
        double alloc = allocatedPerMessage(messages);
        System.out.println("END " + t1 + " " + received + " " + lost + " " + bad + " " + alloc + " "
                + (THREADS.getCurrentThreadCpuTime() - cpu0));
    }
}
