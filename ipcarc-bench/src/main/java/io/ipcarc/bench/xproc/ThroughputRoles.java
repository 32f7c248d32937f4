package io.ipcarc.bench.xproc;

import io.ipcarc.ShmType;
import io.ipcarc.ring.EntryHandler;
import io.ipcarc.ring.EntryWriter;
import io.ipcarc.ring.LossListener;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingEntry;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
import io.ipcarc.ring.WriterMode;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The processes of the throughput runs. A writer prints {@code START <nanoTime>} just before
 * its first message and {@code DONE} after its last; each reader prints {@code END} after the
 * last, both with what {@link Meter} measured.
 * System.nanoTime is CLOCK_MONOTONIC on Linux, the same clock in every process. Every message
 * is 64 bytes with its transport's header (the ring's stamp, Agrona's record header) and
 * carries its sequence number, which readers check.
 */
final class ThroughputRoles {
    /** Body bytes per message: 56, so that with each transport's 8-byte header a record is 64 bytes. */
    static final int BODY = 56;
    /** The ring's entry type: 56 raw bytes, one 64-byte slot with the stamp. */
    static final ShmType<byte[]> ENTRY = ShmType.bytes(BODY);

    private ThroughputRoles() {
    }

    static void ringWriter(String name, long n, boolean lossless) {
        try (Ring<byte[]> ring = Ring.open(name, ENTRY);
             // The writer waits for room as Agrona's callers do (Idle: spin, then yield), never in the
             // kernel; the claim says so, so readers' commits are one release store (as Agrona's).
             RingWriter<byte[]> w = ring.claimWriter(lossless ? WriterMode.LOSSLESS : WriterMode.LOSSY, WaitStrategy.YIELD)) {
            EntryWriter body = (e, seq) -> {
                e.putLong(0, seq);
                e.putLong(8, seq * 31);
            };
            Meter meter = new Meter();
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                if (i == n / 4) {
                    meter.mark(i);
                }
                int idle = 0;
                while (w.tryPublish(body) == RingWriter.NO_ROOM) {
                    Idle.idle(idle++);
                }
            }
            meter.done(n);
        }
    }

    /** Counts and checks what a ring reader receives. */
    private static final class Received implements EntryHandler<byte[]>, LossListener {
        long received;
        long bad;
        long lost;

        @Override
        public void onEntry(RingEntry<byte[]> e) {
            long seq = e.sequence();
            if (e.getLong(0) != seq || e.getLong(8) != seq * 31) {
                bad++;
            }
            received++;
        }

        @Override
        public void onLoss(long from, long to) {
            lost += to - from;
        }
    }

    static void ringReader(String name, int id, long n) {
        try (Ring<byte[]> ring = Ring.open(name, ENTRY); RingReader<byte[]> r = ring.claimReader(id)) {
            Received h = new Received();
            System.out.println("READY");
            Meter meter = new Meter();
            int idle = 0;
            while (r.position() < n) {
                if (r.poll(h, h, 4096) > 0) {
                    r.commit();
                    idle = 0;
                } else {
                    Idle.idle(idle++);
                }
                if (r.position() >= n / 4) {
                    meter.mark(r.position());
                }
            }
            r.commit();
            meter.end(n, h.received, h.lost, h.bad);
        }
    }

    static void agronaO2oWriter(String file, long n) {
        var mapped = IoUtil.mapExistingFile(new File(file), "o2o");
        try {
            OneToOneRingBuffer rb = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
            UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(BODY));
            Meter meter = new Meter();
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                if (i == n / 4) {
                    meter.mark(i);
                }
                msg.putLong(0, i);
                msg.putLong(8, i * 31);
                int idle = 0;
                while (!rb.write(1, msg, 0, BODY)) {
                    Idle.idle(idle++);
                }
            }
            meter.done(n);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    static void agronaO2oReader(String file, long n) {
        var mapped = IoUtil.mapExistingFile(new File(file), "o2o");
        try {
            OneToOneRingBuffer rb = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
            long[] next = {0};
            long[] bad = {0};
            System.out.println("READY");
            Meter meter = new Meter();
            int idle = 0;
            while (next[0] < n) {
                int got = rb.read((type, buffer, index, length) -> {
                    if (buffer.getLong(index) != next[0] || buffer.getLong(index + 8) != next[0] * 31) {
                        bad[0]++;
                    }
                    next[0]++;
                }, 4096);
                if (got == 0) {
                    Idle.idle(idle++);
                } else {
                    idle = 0;
                }
                if (next[0] >= n / 4) {
                    meter.mark(next[0]);
                }
            }
            meter.end(n, next[0], 0, bad[0]);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    static void agronaBroadcastWriter(String file, long n) {
        var mapped = IoUtil.mapExistingFile(new File(file), "bcast");
        try {
            BroadcastTransmitter tx = new BroadcastTransmitter(new UnsafeBuffer(mapped));
            UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(BODY));
            Meter meter = new Meter();
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                if (i == n / 4) {
                    meter.mark(i);
                }
                msg.putLong(0, i);
                msg.putLong(8, i * 31);
                tx.transmit(1, msg, 0, BODY);
            }
            meter.done(n);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    static void agronaBroadcastReader(String file, long n) {
        var mapped = IoUtil.mapExistingFile(new File(file), "bcast");
        try {
            BroadcastReceiver rx = new BroadcastReceiver(new UnsafeBuffer(mapped));
            long received = 0;
            long last = -1;
            long bad = 0;
            System.out.println("READY");
            Meter meter = new Meter();
            int idle = 0;
            while (last < n - 1) {
                if (rx.receiveNext()) {
                    long seq = rx.buffer().getLong(rx.offset());
                    long check = rx.buffer().getLong(rx.offset() + 8);
                    if (rx.validate()) {
                        if (check != seq * 31 || seq <= last) {
                            bad++;
                        }
                        last = seq;
                        received++;
                    }
                    idle = 0;
                } else {
                    Idle.idle(idle++);
                }
                if (last >= n / 4) {
                    meter.mark(last);
                }
            }
            meter.end(n, received, n - received, bad);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    static void udsReader(String path, long n) throws IOException {
        Path p = Path.of(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
            System.out.println("READY");
            try (SocketChannel ch = server.accept()) {
                Meter meter = new Meter();
                ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
                long next = 0;
                long bad = 0;
                while (next < n) {
                    ch.read(buf);
                    buf.flip();
                    while (buf.remaining() >= 64) {
                        int pos = buf.position();
                        if (buf.getLong(pos) != next || buf.getLong(pos + 8) != next * 31) {
                            bad++;
                        }
                        next++;
                        buf.position(pos + 64);
                    }
                    buf.compact();
                    if (next >= n / 4) {
                        meter.mark(next);
                    }
                }
                meter.end(n, next, 0, bad);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(p);
        }
    }

    /** Writes n messages, {@code batch} messages per write call (1 = one system call per message). */
    static void udsWriter(String path, long n, int batch) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(path)))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * batch).order(ByteOrder.nativeOrder());
            Meter meter = new Meter();
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                if (buf.remaining() < 64) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    buf.clear();
                }
                int pos = buf.position();
                buf.putLong(pos, i).putLong(pos + 8, i * 31);
                buf.position(pos + 64);
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            meter.done(n);
        }
    }
}
