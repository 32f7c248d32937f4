package io.ipcarc.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Segment names of one benchmark process, and the removal of whatever they left in /dev/shm. */
public final class BenchNames {
    private static final String PREFIX = "ipcarc-bench-";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private BenchNames() {
    }

    /**
     * Returns a fresh name with a leading slash, containing this process's pid.
     *
     * @param what a short word for the benchmark
     * @return a fresh name with a leading slash, containing this process's pid
     */
    public static String next(String what) {
        return "/" + PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + what;
    }

    /**
     * Deletes every /dev/shm file named by a process with this pid; best effort.
     *
     * @param pid the process whose names to remove
     */
    public static void removeAll(long pid) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("/dev/shm"), PREFIX + pid + "-*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException ignored) {
            // nothing to clean, or not ours to clean
        }
    }
}
