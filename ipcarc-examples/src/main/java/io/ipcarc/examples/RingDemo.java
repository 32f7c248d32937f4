package io.ipcarc.examples;

import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo [--count N] [--out DIR] [--keep]}: the seed system end to end, as separate
 * processes: a lossless writer and reporters 0 and 1; reporter 1 is killed with SIGKILL part-way
 * and restarted; at the end the reporters get SIGTERM and both CSVs are verified.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main demo: a lossless writer and 2 crash-safe CSV reporters as separate processes.",
            "Reporter 1 is killed with SIGKILL part-way and restarted; both CSVs are verified complete, exactly once and"
                + " identical."})
final class RingDemo implements Callable<Integer> {
    private static final long MINUTE = 60_000_000_000L;

    @Option(names = "--count", paramLabel = "N", defaultValue = "300000", description = "Entries (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--capacity", paramLabel = "C", defaultValue = "65536",
            description = "Ring entries, a power of two from 2 to 2^24 (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the CSVs and logs go (default: a temporary directory,"
            + " deleted after a successful run).")
    Path outDir;

    @Option(names = "--keep", description = "Keep the temporary directory.")
    boolean keep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (count < 1) {
            throw Main.usage(spec, "--count must be at least 1: count=" + count);
        }
        RingOptions options = Main.checked(spec, "--capacity",
                () -> RingOptions.defaults().withCapacity(capacity).withReservedReaders(0, 1));
        String name = "/ipcarc-demo-ring-" + ProcessHandle.current().pid();
        Path out = outDir != null ? outDir : Files.createTempDirectory("ipcarc-demo-");
        Files.createDirectories(out);
        List<Process> all = new ArrayList<>();
        boolean ok = false;
        long t0 = System.nanoTime();
        try (Ring<Tick> ring = Ring.create(name, Tick.TYPE, options)) {
            System.out.printf("demo: ring %s (capacity %d), %,d entries, output in %s%n", name, ring.capacity(), count, out);
            Process r0 = start(all, out, "reporter-0", "reporter", "0", "--name", name, "--out", out.toString());
            Process r1 = start(all, out, "reporter-1", "reporter", "1", "--name", name, "--out", out.toString());
            check(await(() -> ring.readerState(0) == ReaderState.ACTIVE && ring.readerState(1) == ReaderState.ACTIVE,
                    MINUTE), "reporters did not register", out);
            System.out.println("demo: reporters 0 and 1 registered; starting the lossless writer at full speed");
            long tw = System.nanoTime();
            Process writer = start(all, out, "writer", "writer", "--name", name, "--count", String.valueOf(count), "--rate", "0",
                    "--lossless");
            check(await(() -> ring.readerPosition(1) >= count / 3 || !writer.isAlive(), MINUTE), "reporter 1 made no progress", out);
            r1.destroyForcibly().waitFor();
            System.out.printf("demo: killed reporter 1 (SIGKILL) at seq %,d of its stored position; the writer waits for it%n",
                    ring.readerPosition(1));
            r1 = start(all, out, "reporter-1", "reporter", "1", "--name", name, "--out", out.toString());
            long restartedPid = r1.pid();
            check(await(() -> ring.readerPid(1) == restartedPid, MINUTE), "restarted reporter 1 did not register", out);
            System.out.println("demo: restarted reporter 1; it resumes where its CSV ends");
            check(writer.waitFor(2, TimeUnit.MINUTES) && writer.exitValue() == 0, "writer did not finish", out);
            check(await(() -> ring.readerPosition(0) == count && ring.readerPosition(1) == count, MINUTE),
                    "reporters did not catch up", out);
            double secs = (System.nanoTime() - tw) / 1e9;
            long lost = ring.readerLost(0) + ring.readerLost(1);
            r0.destroy();
            r1.destroy();
            check(r0.waitFor(1, TimeUnit.MINUTES) && r0.exitValue() == 0, "reporter 0 did not stop cleanly on SIGTERM", out);
            check(r1.waitFor(1, TimeUnit.MINUTES) && r1.exitValue() == 0, "reporter 1 did not stop cleanly on SIGTERM", out);
            System.out.println("demo: reporters stopped with SIGTERM (exit 0)");
            VerifyApp.Result v = VerifyApp.verify(List.of(CsvOutput.csvPath(out, 0), CsvOutput.csvPath(out, 1)), count, System.out);
            v.summary().forEach(System.out::println);
            System.out.printf("demo: entries=%,d, writer to both CSVs in %.2f s = %,.0f entries/s, reporter restarts=1, lost=%d,"
                    + " verified=%s%n",
                    count, secs, count / secs, lost, v.ok() ? "yes" : "NO");
            ok = v.ok() && lost == 0;
        } catch (DemoFailure e) {
            System.out.println("demo: FAILED: " + e.getMessage());
        } finally {
            for (Process p : all) {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
        boolean gone = !Files.exists(Path.of("/dev/shm", name.substring(1)));
        System.out.println(gone ? "demo: segment " + name + " is gone (both readers had read everything, so the last close"
                + " unlinked it)"
                : "demo: FAILED: segment " + name + " still exists");
        ok &= gone;
        if (ok && !keep && outDir == null) {
            deleteTree(out);
        } else {
            System.out.println("demo: output kept in " + out);
        }
        System.out.printf("demo: %s in %.1f s%n", ok ? "OK" : "FAILED", (System.nanoTime() - t0) / 1e9);
        return ok ? Main.OK : Main.FAILED;
    }

    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String m) {
            super(m);
        }
    }

    private static void check(boolean condition, String what, Path out) {
        if (!condition) {
            throw new DemoFailure(what + " (logs in " + out + ")");
        }
    }

    private static boolean await(BooleanSupplier condition, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(2_000_000L);
        }
        return true;
    }

    private static Process start(List<Process> all, Path out, String log, String... args) throws IOException {
        Process p = JavaCommand.current().main(Main.class, args).processBuilder()
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve(log + ".log").toFile())).redirectErrorStream(true).start();
        all.add(p);
        return p;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            System.out.println("demo: could not delete " + dir + ": " + e);
        }
    }
}
