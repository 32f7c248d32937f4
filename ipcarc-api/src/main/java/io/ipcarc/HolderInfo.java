package io.ipcarc;

import java.time.Instant;

/**
 * One process in a segment's holder table, as seen by {@link IpcArcs#inspect(String)}.
 *
 * @param pid the process id recorded in the slot
 * @param startTicks the process's start time recorded in the slot, in clock ticks since boot
 *     (field 22 of {@code /proc/PID/stat}); together with the pid it identifies the process
 * @param started the same start time as an instant, or {@code null} if it cannot be computed
 * @param handles how many open handles the process holds
 * @param alive whether that very process (pid and start time) is still running
 */
public record HolderInfo(int pid, long startTicks, Instant started, long handles, boolean alive) {
}
