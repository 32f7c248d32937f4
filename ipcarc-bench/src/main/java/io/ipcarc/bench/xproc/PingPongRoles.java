package io.ipcarc.bench.xproc;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ring.EntryHandler;
import io.ipcarc.ring.EntryWriter;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingEntry;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
import io.ipcarc.ring.WriterMode;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Ping-pong of a 64-byte message between two processes. The pinger sends message i, waits for
 * its echo, and records the round trip (after the warm-up) in an HdrHistogram; it prints
 * {@code RESULT count p50 p90 p99 p99.9 max mean} in nanoseconds.
 */
final class PingPongRoles {
    private PingPongRoles() {
    }

    /** How a ring side waits: spin, block (futex), backoff, or sleep (1 ms polling, like the seed). */
    private static void idle(RingReader<byte[]> r, String mode, int rounds) {
        switch (mode) {
            case "spin" -> Thread.onSpinWait();
            case "block" -> r.idle(WaitStrategy.BLOCK, rounds);
            case "sleep" -> LockSupport.parkNanos(1_000_000L);
            case "backoff" -> WaitStrategy.BACKOFF.idle(rounds);
            // as if idle for long already: skip block's spin and yield phases, sleep in the futex every time
            case "block-sleep" -> r.idle(WaitStrategy.BLOCK, 1_000_000);
            default -> throw new IllegalArgumentException("mode " + mode);
        }
    }

    /** Lossy rings would be the same here (a ping-pong never fills a ring); lossless, like Agrona's OneToOneRingBuffer. */
    private static final WriterMode MODE = WriterMode.LOSSLESS;
    /** The writers spin on NO_ROOM (a ping-pong never fills a ring): they never sleep in the kernel. */
    private static final WaitStrategy WAIT = WaitStrategy.SPIN;

    /** Echoes each entry's first word into the other ring, from inside the handler. */
    private static final class Echo implements EntryHandler<byte[]>, EntryWriter {
        private final RingWriter<byte[]> out;
        private long payload;

        Echo(RingWriter<byte[]> out) {
            this.out = out;
        }

        @Override
        public void onEntry(RingEntry<byte[]> e) {
            payload = e.getLong(0);
            while (out.tryPublish(this) == RingWriter.NO_ROOM) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void write(io.ipcarc.SharedBuffer entry, long seq) {
            entry.putLong(0, payload);
        }
    }

    static void ringEcho(String ab, String ba, String mode, long total) {
        try (Ring<byte[]> in = Ring.open(ab, ThroughputRoles.ENTRY); Ring<byte[]> out = Ring.open(ba, ThroughputRoles.ENTRY);
             RingReader<byte[]> r = in.claimReader(0); RingWriter<byte[]> w = out.claimWriter(MODE, WAIT)) {
            Echo echo = new Echo(w);
            System.out.println("READY");
            int rounds = 0;
            while (r.position() < total) {
                if (r.poll(echo, 16) > 0) {
                    r.commit();
                    rounds = 0;
                } else {
                    idle(r, mode, rounds++);
                }
            }
        }
    }

    /** The pinger's side: sends i, and keeps the first word of what comes back. */
    private static final class Ping implements EntryHandler<byte[]>, EntryWriter {
        long sent;
        long got = -1;

        @Override
        public void onEntry(RingEntry<byte[]> e) {
            got = e.getLong(0);
        }

        @Override
        public void write(io.ipcarc.SharedBuffer entry, long seq) {
            entry.putLong(0, sent);
        }
    }

    /**
     * The ping side of the ring ping-pong: sends, waits for the echo, records the round trip.
     *
     * @param gapNanos pause after each round trip, so that the echo side goes idle (asleep with
     *     block, parked with backoff) before the next message: the round trip then contains one
     *     wake-up of an idle process
     */
    static void ringPing(String ab, String ba, String mode, long warm, long total, long gapNanos) {
        Histogram hist = new Histogram(3_600_000_000_000L, 3);
        try (Ring<byte[]> out = Ring.open(ab, ThroughputRoles.ENTRY); Ring<byte[]> in = Ring.open(ba, ThroughputRoles.ENTRY);
             RingWriter<byte[]> w = out.claimWriter(MODE, WAIT); RingReader<byte[]> r = in.claimReader(0)) {
            Ping ping = new Ping();
            for (long i = 0; i < total; i++) {
                ping.sent = i;
                long t0 = System.nanoTime();
                while (w.tryPublish(ping) == RingWriter.NO_ROOM) {
                    Thread.onSpinWait();
                }
                int rounds = 0;
                while (ping.got != i) {
                    if (r.poll(ping, 1) == 0) {
                        idle(r, mode, rounds++);
                    }
                }
                long rtt = System.nanoTime() - t0;
                r.commit();
                if (i >= warm) {
                    hist.recordValue(rtt);
                }
                if (gapNanos > 0) {
                    LockSupport.parkNanos(gapNanos);
                }
            }
        }
        print(hist);
    }

    /**
     * Echo over two {@code IpcArc<Long>}: waits with {@code awaitChange} for the pinger's value
     * in {@code ab} and writes it to {@code ba} under the lock.
     */
    static void arcEcho(String ab, String ba, long total) throws InterruptedException {
        try (IpcArc<Long> in = IpcArc.load(ab, Long.class); IpcArc<Long> out = IpcArc.load(ba, Long.class)) {
            System.out.println("READY");
            long last = -1;
            long v = in.version();
            while (last < total - 1) {
                long x = in.read();
                if (x != last) {
                    try (Guard<Long> g = out.acquire()) {
                        g.set(x);
                    }
                    last = x;
                } else {
                    v = in.awaitChange(v);
                }
            }
        }
    }

    /** Pinger over two {@code IpcArc<Long>}: sets {@code ab} to i, waits with {@code awaitChange} until {@code ba} is i. */
    static void arcPing(String ab, String ba, long warm, long total, long gapNanos) throws InterruptedException {
        Histogram hist = new Histogram(3_600_000_000_000L, 3);
        try (IpcArc<Long> out = IpcArc.load(ab, Long.class); IpcArc<Long> in = IpcArc.load(ba, Long.class)) {
            for (long i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                long v = in.version();
                try (Guard<Long> g = out.acquire()) {
                    g.set(i);
                }
                while (in.read() != i) {
                    v = in.awaitChange(v);
                }
                long rtt = System.nanoTime() - t0;
                if (i >= warm) {
                    hist.recordValue(rtt);
                }
                if (gapNanos > 0) {
                    LockSupport.parkNanos(gapNanos);
                }
            }
        }
        print(hist);
    }

    static void agronaEcho(String ab, String ba, long total) {
        var min = IoUtil.mapExistingFile(new File(ab), "ab");
        var mout = IoUtil.mapExistingFile(new File(ba), "ba");
        try {
            OneToOneRingBuffer in = new OneToOneRingBuffer(new UnsafeBuffer(min));
            OneToOneRingBuffer out = new OneToOneRingBuffer(new UnsafeBuffer(mout));
            UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(ThroughputRoles.BODY));
            long[] count = {0};
            System.out.println("READY");
            while (count[0] < total) {
                if (in.read((type, buf, index, length) -> {
                    msg.putBytes(0, buf, index, length);
                    while (!out.write(1, msg, 0, length)) {
                        Thread.onSpinWait();
                    }
                    count[0]++;
                }, 16) == 0) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            IoUtil.unmap(min);
            IoUtil.unmap(mout);
        }
    }

    static void agronaPing(String ab, String ba, long warm, long total) {
        Histogram hist = new Histogram(3_600_000_000_000L, 3);
        var mout = IoUtil.mapExistingFile(new File(ab), "ab");
        var min = IoUtil.mapExistingFile(new File(ba), "ba");
        try {
            OneToOneRingBuffer out = new OneToOneRingBuffer(new UnsafeBuffer(mout));
            OneToOneRingBuffer in = new OneToOneRingBuffer(new UnsafeBuffer(min));
            UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(ThroughputRoles.BODY));
            long[] got = {-1};
            for (long i = 0; i < total; i++) {
                msg.putLong(0, i);
                long t0 = System.nanoTime();
                while (!out.write(1, msg, 0, ThroughputRoles.BODY)) {
                    Thread.onSpinWait();
                }
                while (got[0] != i) {
                    if (in.read((type, buf, index, length) -> got[0] = buf.getLong(index), 1) == 0) {
                        Thread.onSpinWait();
                    }
                }
                long rtt = System.nanoTime() - t0;
                if (i >= warm) {
                    hist.recordValue(rtt);
                }
            }
        } finally {
            IoUtil.unmap(min);
            IoUtil.unmap(mout);
        }
        print(hist);
    }

    static void udsEcho(String path, long total) throws IOException {
        Path p = Path.of(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
            System.out.println("READY");
            try (SocketChannel ch = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocateDirect(64);
                for (long i = 0; i < total; i++) {
                    buf.clear();
                    while (buf.hasRemaining()) {
                        if (ch.read(buf) < 0) {
                            return;
                        }
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    static void udsPing(String path, long warm, long total) throws IOException {
        Histogram hist = new Histogram(3_600_000_000_000L, 3);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(path)))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(64);
            for (long i = 0; i < total; i++) {
                buf.clear();
                buf.putLong(0, i);
                long t0 = System.nanoTime();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.read(buf);
                }
                long rtt = System.nanoTime() - t0;
                if (buf.getLong(0) != i) {
                    throw new IllegalStateException("echo mismatch at " + i);
                }
                if (i >= warm) {
                    hist.recordValue(rtt);
                }
            }
        }
        print(hist);
    }

    private static void print(Histogram h) {
        System.out.printf("RESULT %d %d %d %d %d %d %.0f%n", h.getTotalCount(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean());
    }
}
