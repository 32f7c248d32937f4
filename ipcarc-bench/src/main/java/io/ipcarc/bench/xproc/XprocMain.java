package io.ipcarc.bench.xproc;

import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.agrona.IoUtil;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The cross-process benchmark harness: every measurement runs in separate JVMs.
 *
 * <pre>
 * java -cp ipcarc-bench.jar io.ipcarc.bench.xproc.XprocMain [--smoke] [--reps N] [--only throughput|pingpong|e2e|idle] [--out FILE]
 * </pre>
 *
 * Without arguments it runs ring throughput (IpcArc ring lossless and lossy, Agrona
 * OneToOneRingBuffer and broadcast, a Unix-domain socket), ping-pong round trips (the C floor,
 * IpcArc ring with spin, block and 1 ms sleep polling, Agrona, Unix-domain socket), the
 * end-to-end writer-to-two-CSV-reporters run and the reporter's CPU at 1,000 entries/s, and
 * prints (and writes to FILE) a Markdown report.
 */
public final class XprocMain {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final int RING_CAPACITY = 16_384;
    private static final int BUFFER_BYTES = RING_CAPACITY * 64;

    private XprocMain() {
    }

    /**
     * Runs one role of the cross-process harness, or the whole suite.
     *
     * @param args a role and its arguments (children), or the suite's options
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("--")) {
            role(args);
            System.out.flush();
            System.exit(0);
        }
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int reps = smoke ? 1 : 3;
        Path out = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reps")) {
                reps = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--only")) {
                only = args[++i];
            } else if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            }
        }
        String report = new XprocSuite(smoke, reps, only).run();
        System.out.println(report);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
    }

    private static void role(String[] a) throws IOException, InterruptedException {
        switch (a[0]) {
            case "ring-writer" -> ThroughputRoles.ringWriter(a[1], Long.parseLong(a[2]), Boolean.parseBoolean(a[3]));
            case "ring-reader" -> ThroughputRoles.ringReader(a[1], Integer.parseInt(a[2]), Long.parseLong(a[3]));
            case "o2o-writer" -> ThroughputRoles.agronaO2oWriter(a[1], Long.parseLong(a[2]));
            case "o2o-reader" -> ThroughputRoles.agronaO2oReader(a[1], Long.parseLong(a[2]));
            case "bcast-writer" -> ThroughputRoles.agronaBroadcastWriter(a[1], Long.parseLong(a[2]));
            case "bcast-reader" -> ThroughputRoles.agronaBroadcastReader(a[1], Long.parseLong(a[2]));
            case "uds-writer" -> ThroughputRoles.udsWriter(a[1], Long.parseLong(a[2]), Integer.parseInt(a[3]));
            case "uds-reader" -> ThroughputRoles.udsReader(a[1], Long.parseLong(a[2]));
            case "pp-ring-echo" -> PingPongRoles.ringEcho(a[1], a[2], a[3], Long.parseLong(a[4]));
            case "pp-ring-ping" -> PingPongRoles.ringPing(a[1], a[2], a[3], Long.parseLong(a[4]), Long.parseLong(a[5]),
                    Long.parseLong(a[6]));
            case "pp-arc-echo" -> PingPongRoles.arcEcho(a[1], a[2], Long.parseLong(a[3]));
            case "pp-arc-ping" -> PingPongRoles.arcPing(a[1], a[2], Long.parseLong(a[3]), Long.parseLong(a[4]), Long.parseLong(a[5]));
            case "pp-agrona-echo" -> PingPongRoles.agronaEcho(a[1], a[2], Long.parseLong(a[3]));
            case "pp-agrona-ping" -> PingPongRoles.agronaPing(a[1], a[2], Long.parseLong(a[3]), Long.parseLong(a[4]));
            case "pp-uds-echo" -> PingPongRoles.udsEcho(a[1], Long.parseLong(a[2]));
            case "pp-uds-ping" -> PingPongRoles.udsPing(a[1], Long.parseLong(a[2]), Long.parseLong(a[3]));
            default -> throw new IllegalArgumentException("unknown role: " + a[0]);
        }
    }

    static String uniqueName(String what) {
        return "/ipcarc-bench-xp-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + "-" + what;
    }

    /** A segment-free file in /dev/shm for Agrona, created with {@code bytes} and deleted by close. */
    static final class ShmFileArea implements AutoCloseable {
        final File file;

        ShmFileArea(String what, int bytes) {
            file = new File("/dev/shm" + uniqueName(what));
            IoUtil.unmap(IoUtil.mapNewFile(file, bytes));
        }

        String path() {
            return file.getPath();
        }

        @Override
        public void close() {
            IoUtil.delete(file, true);
        }
    }

    static int o2oBytes() {
        return BUFFER_BYTES + RingBufferDescriptor.TRAILER_LENGTH;
    }

    static int broadcastBytes() {
        return BUFFER_BYTES + BroadcastBufferDescriptor.TRAILER_LENGTH;
    }

    static int ringCapacity() {
        return RING_CAPACITY;
    }

    static Ring<byte[]> createRing(String name, int capacity) {
        return Ring.create(name, ThroughputRoles.ENTRY, RingOptions.defaults().withCapacity(capacity));
    }

    static void awaitActive(Ring<?> ring, int readers) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < readers; i++) {
            while (ring.readerState(i) != ReaderState.ACTIVE) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("reader " + i + " did not register");
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
