package io.ipcarc.examples;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.launcher.JavaCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Several processes increment one shared counter under IpcArc's process-shared lock; the
 * parent checks the total is exact, that the reference count returns to one, and that the
 * segment is gone after the last close.
 */
@Command(name = "counter", mixinStandardHelpOptions = true,
        description = "Worker processes increment one IpcArc<Long> under its lock; the total must be exact.")
final class CounterDemo implements Callable<Integer> {
    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "Worker processes (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--increments", paramLabel = "N", defaultValue = "100000",
            description = "Increments per worker (default: ${DEFAULT-VALUE}).")
    int increments;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (workers < 1 || increments < 0) {
            throw Main.usage(spec, "--workers must be at least 1 and --increments not negative: workers=" + workers
                    + ", increments=" + increments);
        }
        String name = "/ipcarc-demo-counter-" + ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        try (IpcArc<Long> counter = IpcArc.create(name, 0L)) {
            System.out.printf("created %s (refCount=%d); starting %d worker processes x %,d increments%n",
                    name, counter.refCount(), workers, increments);
            List<Process> procs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                procs.add(JavaCommand.current().main(Main.class, "counter-worker", name, String.valueOf(increments)).processBuilder()
                        .inheritIO().start());
            }
            for (Process p : procs) {
                if (p.waitFor() != 0) {
                    System.out.println("FAILED: worker pid=" + p.pid() + " exited with " + p.exitValue());
                    return Main.FAILED;
                }
            }
            long expected = (long) workers * increments;
            long total = counter.read();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("final count %,d (expected %,d), refCount=%d, %.2f s, %,.0f locked increments/s%n",
                    total, expected, counter.refCount(), seconds, expected / seconds);
            if (total != expected || counter.refCount() != 1) {
                System.out.println("FAILED: count or refCount wrong");
                return Main.FAILED;
            }
        } catch (Exception e) {
            System.out.println("FAILED: " + e);
            return Main.FAILED;
        }
        boolean gone = !java.nio.file.Files.exists(Path.of("/dev/shm", name.substring(1)));
        System.out.println(gone ? "OK: exact count, segment unlinked by the last close" : "FAILED: segment still exists");
        return gone ? Main.OK : Main.FAILED;
    }

    /** {@code counter-worker NAME N}: one worker process of the counter demo. */
    @Command(name = "counter-worker", hidden = true, mixinStandardHelpOptions = true,
            description = "One worker of the counter demo: N locked increments of the counter NAME.")
    static final class Worker implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The counter's segment name.")
        String name;

        @Parameters(index = "1", paramLabel = "N", description = "Increments.")
        int n;

        @Override
        public Integer call() {
            try (IpcArc<Long> counter = IpcArc.load(name, Long.class)) {
                for (int i = 0; i < n; i++) {
                    try (Guard<Long> g = counter.acquire()) {
                        g.set(g.get() + 1);
                    }
                }
                System.out.printf("worker pid=%d done: %,d increments (refCount now %d)%n",
                        ProcessHandle.current().pid(), n, counter.refCount());
            }
            return Main.OK;
        }
    }
}
