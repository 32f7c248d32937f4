package io.ipcarc.examples;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several processes increment one shared counter under IpcArc's process-shared lock; the
 * parent checks the total is exact, that the reference count returns to one, and that the
 * segment is gone after the last close.
 */
final class CounterDemo {
    private CounterDemo() {
    }

    static int run(String[] args) {
        int workers = 2;
        int increments = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--increments" -> increments = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option: " + args[i]);
                    return 2;
                }
            }
        }
        String name = "/ipcarc-demo-counter-" + ProcessHandle.current().pid();
        long t0 = System.nanoTime();
        try (IpcArc<Long> counter = IpcArc.create(name, 0L)) {
            System.out.printf("created %s (refCount=%d); starting %d worker processes x %,d increments%n",
                    name, counter.refCount(), workers, increments);
            List<Process> procs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                List<String> cmd = JvmCommand.java();
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "counter-worker", name,
                        String.valueOf(increments)));
                procs.add(new ProcessBuilder(cmd).inheritIO().start());
            }
            for (Process p : procs) {
                if (p.waitFor() != 0) {
                    System.out.println("FAILED: worker pid=" + p.pid() + " exited with " + p.exitValue());
                    return 1;
                }
            }
            long expected = (long) workers * increments;
            long total = counter.read();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("final count %,d (expected %,d), refCount=%d, %.2f s, %,.0f locked increments/s%n",
                    total, expected, counter.refCount(), seconds, expected / seconds);
            if (total != expected || counter.refCount() != 1) {
                System.out.println("FAILED: count or refCount wrong");
                return 1;
            }
        } catch (Exception e) {
            System.out.println("FAILED: " + e);
            return 1;
        }
        boolean gone = !java.nio.file.Files.exists(Path.of("/dev/shm", name.substring(1)));
        System.out.println(gone ? "OK: exact count, segment unlinked by the last close" : "FAILED: segment still exists");
        return gone ? 0 : 1;
    }

    static int worker(String[] args) {
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        try (IpcArc<Long> counter = IpcArc.load(name, Long.class)) {
            for (int i = 0; i < n; i++) {
                try (Guard<Long> g = counter.acquire()) {
                    g.set(g.get() + 1);
                }
            }
            System.out.printf("worker pid=%d done: %,d increments (refCount now %d)%n",
                    ProcessHandle.current().pid(), n, counter.refCount());
        }
        return 0;
    }
}
