package io.ipcarc.posix.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Process identity as pid plus start time (clock ticks since boot, field 22 of
 * /proc/PID/stat), so that a reused pid is not mistaken for a dead holder.
 */
public final class ProcessIds {
    /** This process's pid. */
    public static final int SELF_PID = (int) ProcessHandle.current().pid();
    /** This process's start time. */
    public static final long SELF_START = startTime(SELF_PID);

    private ProcessIds() {
    }

    /**
     * @param pid a process id
     * @return its start time, or -1 if there is no such live process (zombies count as dead)
     */
    public static long startTime(int pid) {
        if (pid <= 0) {
            return -1;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state); field 22 (starttime) is f[19].
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X")) {
            return -1;
        }
        try {
            return Long.parseLong(f[19]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param pid a process id
     * @param start the start time recorded for it
     * @return whether that very process is still alive
     */
    public static boolean isAlive(int pid, long start) {
        if (pid == SELF_PID) {
            return start == SELF_START;
        }
        long now = startTime(pid);
        return now >= 0 && now == start;
    }

    /** Linux's USER_HZ, the unit of /proc start times: 100 on every architecture Linux supports today. */
    private static final long TICKS_PER_SECOND = 100;

    /**
     * @param ticks a start time in clock ticks since boot
     * @return it as an instant, or {@code null} if the boot time cannot be read
     */
    public static Instant ticksToInstant(long ticks) {
        long boot = bootTimeSeconds();
        if (boot < 0 || ticks < 0) {
            return null;
        }
        return Instant.ofEpochSecond(boot).plusMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    private static long bootTimeSeconds() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * @param tid a thread id
     * @return the pid of the process the thread belongs to, or -1 if there is no such thread
     */
    public static int processOfThread(int tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Tgid:")) {
                    return Integer.parseInt(line.substring(5).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
