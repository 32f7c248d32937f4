package io.ipcarc.cli;

import io.ipcarc.ArcOptions;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcException;
import io.ipcarc.ShmType;
import io.ipcarc.testing.Records.Triple;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;

/**
 * The child side of {@link HeaderFuzzTest}: for each iteration, creates a live segment (this
 * process holds it), writes 1 to 3 random mutations into its header, mutexes, holder table or
 * descriptor through the file (the live mapping sees them), then loads it typed and untyped,
 * reads, tryAcquires, inspects it with the CLI and closes the original handle. Each operation
 * either works or throws a documented exception; anything else is printed as UNDOCUMENTED, and
 * an operation that does not return within 10 s as HANG (then the JVM halts with status 3).
 * Iteration {@code i} of seed {@code s} always makes the same mutations.
 */
public final class FuzzChild {
    private static final ArcOptions QUICK = ArcOptions.defaults().withReadyTimeout(Duration.ofMillis(50));
    private static final java.util.Map<String, int[]> OUTCOMES = new java.util.TreeMap<>();
    private static volatile long opStarted;
    private static volatile String current = "";
    /** The user mutex's lock word (glibc's {@code __lock}), per docs/design.md's header table. */
    private static final int USER_LOCK_WORD = 256;

    private FuzzChild() {
    }

    /**
     * @param args seed, first iteration, end iteration (exclusive), name prefix
     * @throws IOException if the shared-memory file cannot be written
     */
    public static void main(String[] args) throws IOException {
        long seed = Long.parseLong(args[0]);
        int from = Integer.parseInt(args[1]);
        int to = Integer.parseInt(args[2]);
        String prefix = args[3];
        startWatchdog();
        for (int i = from; i < to; i++) {
            System.out.println("ITER " + i);
            iteration(new Random(seed * 1_000_003L + i), i, prefix + i);
        }
        OUTCOMES.forEach((op, n) -> System.out.println("STATS " + op + " ok=" + n[0] + " documented=" + n[1]));
        System.out.println("DONE");
    }

    private static void iteration(Random r, int i, String name) throws IOException {
        boolean triple = r.nextBoolean();
        ArcOptions opts = QUICK.withPayloadMode(r.nextBoolean() ? ArcOptions.PayloadMode.RAW : ArcOptions.PayloadMode.CRASH_ATOMIC);
        Path file = Path.of("/dev/shm", name.substring(1));
        IpcArc<?> orig = triple ? IpcArc.create(name, ShmType.of(Triple.class), Triple.of(7), opts)
                : IpcArc.create(name, ShmType.of(Long.class), 7L, opts);
        try {
            int descriptorLength = orig.type().descriptor().length();
            StringBuilder what = new StringBuilder();
            boolean lockWordForged = false;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                int n = 1 + r.nextInt(3);
                for (int m = 0; m < n; m++) {
                    String mutation = mutate(ch, r, descriptorLength);
                    int offset = Integer.parseInt(mutation.substring(0, mutation.indexOf(':')));
                    lockWordForged |= offset >= USER_LOCK_WORD && offset < USER_LOCK_WORD + 4;
                    what.append(mutation).append(' ');
                }
            }
            System.out.println("MUTATED " + i + " " + what.toString().trim());
            // A raw read() falls back to the lock when the commit word is odd; a user-mutex lock word
            // forged to look held makes it wait like acquire() does (docs/design.md, "What the hot path
            // cannot defend against"): not a fuzz finding, so such reads are not attempted.
            boolean mayWaitForever = lockWordForged && opts.payloadMode() == ArcOptions.PayloadMode.RAW;
            ShmType<?> type = orig.type();
            op(i, "load", () -> {
                try (IpcArc<?> x = IpcArc.load(name, type, QUICK)) {
                    if (!mayWaitForever) {
                        x.read();
                    }
                }
            });
            op(i, "load-untyped", () -> {
                try (IpcArc<?> x = IpcArc.load(name, QUICK)) {
                    x.refCount();
                }
            });
            if (!mayWaitForever) {
                op(i, "read", orig::read);
            }
            op(i, "tryAcquire", () -> orig.tryAcquire().ifPresent(Guard::close));
            op(i, "inspect", () -> {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.run(new String[] {"inspect", name}, new PrintWriter(out, true), new PrintWriter(err, true));
                if (code != 0 && err.toString().lines().count() != 1) {
                    throw new AssertionError("inspect exit " + code + " without a one-line error: " + err);
                }
            });
            op(i, "close", orig::close);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Writes one mutation; returns what it did as {@code offset:kind:value}. */
    private static String mutate(FileChannel ch, Random r, int descriptorLength) throws IOException {
        int area = r.nextInt(100);
        int offset;
        if (area < 25) {
            offset = r.nextInt(128);                               // immutable header fields
        } else if (area < 50) {
            int mutex = r.nextBoolean() ? 192 : 256;               // admin or user mutex words
            offset = mutex + 4 * r.nextInt(10);
        } else if (area < 60) {
            offset = 304 + r.nextInt(32);                          // owner pid/tid, owner died, sequence, waiters
        } else if (area < 80) {
            offset = 384 + 4 * r.nextInt(r.nextBoolean() ? 8 : 1024); // holder table
        } else {
            offset = 4480 + r.nextInt(descriptorLength);           // descriptor
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        String kind;
        switch (r.nextInt(5)) {
            case 0 -> {
                kind = "byte";
                b = ByteBuffer.allocate(1);
                b.put((byte) r.nextInt());
            }
            case 1 -> {
                kind = "bit";
                ch.read(b, offset);
                int v = b.flip().getInt(0) ^ (1 << r.nextInt(32));
                b.clear();
                b.putInt(v);
            }
            case 2 -> {
                kind = "interesting";
                int[] values = {0, 1, -1, 2, 0x40, 0x92 | 0x40, 0x20, 0x40000000, 0x80000000, 0x7fffffff, 0x7ffffffe,
                        (int) ProcessHandle.current().pid()};
                b.putInt(values[r.nextInt(values.length)]);
            }
            case 3 -> {
                kind = "zero";
                b.putInt(0);
            }
            default -> {
                kind = "int";
                b.putInt(r.nextInt());
            }
        }
        b.flip();
        int value = b.remaining() == 4 ? b.getInt(0) : b.get(0);
        ch.write(b, offset);
        return offset + ":" + kind + ":" + Integer.toHexString(value);
    }

    private static void op(int i, String what, Runnable op) {
        current = i + " " + what;
        opStarted = System.nanoTime();
        int[] n = OUTCOMES.computeIfAbsent(what, k -> new int[2]);
        try {
            op.run();
            n[0]++;
        } catch (IpcArcException e) {
            n[1]++;
            // documented: every failure about a segment is an IpcArcException subclass naming it
            if (e.getMessage() == null || !e.getMessage().contains("name=")) {
                System.out.println("UNDOCUMENTED " + i + " " + what + " message without the segment's name: " + e);
            }
        } catch (IllegalStateException e) {
            n[1]++;
            // documented for use after close (the original handle, after a failed close)
            if (!String.valueOf(e.getMessage()).startsWith("IpcArc is closed")) {
                System.out.println("UNDOCUMENTED " + i + " " + what + " " + e);
            }
        } catch (Throwable t) {
            System.out.println("UNDOCUMENTED " + i + " " + what + " " + t);
        } finally {
            opStarted = 0;
        }
    }

    private static void startWatchdog() {
        Thread t = new Thread(() -> {
            while (true) {
                long started = opStarted;
                if (started != 0 && System.nanoTime() - started > 10_000_000_000L) {
                    System.out.println("HANG " + current);
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
        }, "fuzz-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
