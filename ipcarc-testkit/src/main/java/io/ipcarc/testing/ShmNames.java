package io.ipcarc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique segment names for one test run (they contain the test JVM's pid), and the removal of
 * whatever they left in /dev/shm, also when a test fails.
 */
public final class ShmNames implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<String> names = new ArrayList<>();

    /** Creates a name source; {@link #close()} deletes every file it named. */
    public ShmNames() {
    }

    /**
     * The prefix of every segment name this test JVM makes.
     *
     * @return the start of every name this test JVM makes, so that host-wide operations (such
     *     as removing orphans) can be limited to this run's segments
     */
    public static String prefix() {
        return "/ipcarc-test-" + ProcessHandle.current().pid() + "-";
    }

    /**
     * Makes a new segment name, unique in this test JVM, and records it for {@link #close()}.
     *
     * @param what a short word for the test
     * @return a fresh name with a leading slash
     */
    public synchronized String next(String what) {
        String n = prefix() + COUNTER.incrementAndGet() + "-" + what;
        names.add(n);
        return n;
    }

    /**
     * The file behind a segment name on Linux.
     *
     * @param name a name with a leading slash
     * @return its file in /dev/shm
     */
    public static Path file(String name) {
        return Path.of("/dev/shm", name.substring(1));
    }

    /**
     * Whether a segment of that name exists now.
     *
     * @param name a name with a leading slash
     * @return whether it exists in /dev/shm
     */
    public static boolean exists(String name) {
        return Files.exists(file(name));
    }

    /** Deletes every file this instance named. */
    @Override
    public synchronized void close() {
        for (String n : names) {
            try {
                Files.deleteIfExists(file(n));
            } catch (IOException ignored) {
                // best effort: the next run uses other names
            }
        }
        names.clear();
    }
}
