package io.ipcarc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The JDK's own locks, measured in the same run as IpcArc: the floors and ceilings it is compared with. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineBenchmarks {
    /** Creates the benchmark state; JMH calls it once per fork. */
    public BaselineBenchmarks() {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private Path file;
    private FileChannel channel;

    /** Opens the lock file. */
    @Setup
    public void setUp() {
        try {
            file = Files.createTempFile("ipcarc-bench-", ".lock");
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes and deletes it.
     *
     * @throws IOException if the file cannot be closed or deleted
     */
    @TearDown
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    /** In-process floor: {@code ReentrantLock} lock and unlock. */
    @Benchmark
    public void reentrantLock() {
        lock.lock();
        lock.unlock();
    }

    /**
     * The JDK's cross-process lock: {@code FileChannel.lock()} and release on a file.
     *
     * @throws IOException if the lock fails
     */
    @Benchmark
    public void fileChannelLock() throws IOException {
        lockAndRelease(channel, file);
    }

    /**
     * One {@code FileChannel.lock()} and release, as this baseline and {@link RatioHarness} measure it.
     *
     * @param channel an open channel of {@code file}
     * @param file the locked file, for the message
     * @throws IOException if the lock fails
     */
    static void lockAndRelease(FileChannel channel, Path file) throws IOException {
        try (FileLock l = channel.lock()) {
            if (!l.isValid()) {
                throw new IllegalStateException("lock not valid: file=" + file);
            }
        }
    }
}
