package io.ipcarc.ring;

import java.time.Instant;
import java.util.Optional;

/** Process identity for ring roles: pid plus start time in ms, read through {@link ProcessHandle}. */
final class Holders {
    static final int SELF_PID = (int) ProcessHandle.current().pid();
    static final long SELF_START = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);

    private Holders() {
    }

    /**
     * @param pid recorded pid
     * @param start recorded start time
     * @return whether that process still runs
     */
    static boolean isAlive(int pid, long start) {
        if (pid == 0) {
            return false;
        }
        if (pid == SELF_PID) {
            return start == SELF_START;
        }
        Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        return ph.isPresent() && ph.get().isAlive()
                && ph.get().info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == start;
    }
}
