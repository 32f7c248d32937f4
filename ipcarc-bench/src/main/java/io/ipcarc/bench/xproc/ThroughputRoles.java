package io.ipcarc.bench.xproc;

import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
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
 * its first message; each reader prints {@code END <nanoTime> <received> <lost>} after the last.
 * System.nanoTime is CLOCK_MONOTONIC on Linux, the same clock in every process.
 * Every message is 64 bytes and carries its sequence number, which readers check.
 */
final class ThroughputRoles {
    /** Body bytes per message: 48, so that with each transport's header a record is 64 bytes. */
    static final int BODY = 48;

    private ThroughputRoles() {
    }

    static void ringWriter(String name, long n, boolean lossless) {
        try (Ring ring = Ring.open(name); RingWriter w = ring.claimWriter(lossless)) {
            RingWriter.EntryBody body = (buf, off, seq) -> {
                buf.putLong(off, seq);
                buf.putLong(off + 8, seq * 31);
            };
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                w.publish(body, WaitStrategy.YIELD, () -> true);
            }
            System.out.println("DONE " + System.nanoTime());
        }
    }

    static void ringReader(String name, int id, long n) {
        try (Ring ring = Ring.open(name); RingReader r = ring.claimReader(id, Ring.StartFrom.OLDEST)) {
            long[] received = {0};
            long[] bad = {0};
            long[] lost = {0};
            RingReader.EntryHandler h = (seq, e) -> {
                if (e[2] != seq || e[3] != seq * 31) {
                    bad[0]++;
                }
                received[0]++;
            };
            RingReader.LossListener l = (a, b) -> lost[0] += b - a;
            System.out.println("READY");
            int idle = 0;
            while (r.position() < n) {
                if (r.poll(h, l, 4096) > 0) {
                    r.commit();
                    idle = 0;
                } else {
                    Idle.idle(idle++);
                }
            }
            r.commit();
            System.out.println("END " + System.nanoTime() + " " + received[0] + " " + lost[0] + " " + bad[0]);
        }
    }

    static void agronaO2oWriter(String file, long n) {
        var mapped = IoUtil.mapExistingFile(new File(file), "o2o");
        try {
            OneToOneRingBuffer rb = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
            UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(BODY));
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                msg.putLong(0, i);
                msg.putLong(8, i * 31);
                int idle = 0;
                while (!rb.write(1, msg, 0, BODY)) {
                    Idle.idle(idle++);
                }
            }
            System.out.println("DONE " + System.nanoTime());
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
            }
            System.out.println("END " + System.nanoTime() + " " + next[0] + " 0 " + bad[0]);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    static void agronaBroadcastWriter(String file, long n) {
        var mapped = IoUtil.mapExistingFile(new File(file), "bcast");
        try {
            BroadcastTransmitter tx = new BroadcastTransmitter(new UnsafeBuffer(mapped));
            UnsafeBuffer msg = new UnsafeBuffer(ByteBuffer.allocateDirect(BODY));
            System.out.println("START " + System.nanoTime());
            for (long i = 0; i < n; i++) {
                msg.putLong(0, i);
                msg.putLong(8, i * 31);
                tx.transmit(1, msg, 0, BODY);
            }
            System.out.println("DONE " + System.nanoTime());
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
            }
            System.out.println("END " + System.nanoTime() + " " + received + " " + (n - received) + " " + bad);
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
                }
                System.out.println("END " + System.nanoTime() + " " + next + " 0 " + bad);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(p);
        }
    }

    /** Writes n messages, {@code batch} messages per write call (1 = one system call per message). */
    static void udsWriter(String path, long n, int batch) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(path)))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(64 * batch).order(ByteOrder.nativeOrder());
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
            System.out.println("DONE " + System.nanoTime());
        }
    }
}
