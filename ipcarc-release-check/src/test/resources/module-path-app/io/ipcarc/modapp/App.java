package io.ipcarc.modapp;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;

/**
 * A record value under the lock, then a ring's entries from writer to reader, in one process
 * on the module path. Prints what it read: {@code point=Point[x=2, y=3] ring=1000/1000}.
 */
public final class App {
    record Point(long x, long y) {
    }

    record Tick(long seq, double price) {
    }

    private App() {
    }

    /**
     * Runs the application.
     *
     * @param args a segment name prefix
     * @throws InterruptedException never: the ring (1024 entries) has room for all 1000
     */
    public static void main(String[] args) throws InterruptedException {
        String point;
        try (IpcArc<Point> arc = IpcArc.create(args[0] + "-point", ShmType.of(Point.class), new Point(1, 2))) {
            try (Guard<Point> g = arc.acquire()) {
                g.set(new Point(g.get().x() + 1, 3));
            }
            point = String.valueOf(arc.read());
        }
        long[] sum = {0, 0};
        try (Ring<Tick> ring = Ring.create(args[0] + "-ring", Tick.class, RingOptions.defaults().withCapacity(1024).withReservedReaders(0));
             RingReader<Tick> reader = ring.claimReader(0)) {
            try (RingWriter<Tick> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
                for (long i = 0; i < 1000; i++) {
                    writer.publish(new Tick(i, i * 0.5));
                }
            }
            while (reader.position() < 1000) {
                reader.poll(e -> {
                    Tick t = e.decode();
                    sum[0] += t.seq() == sum[1] ? 1 : 0;
                    sum[1]++;
                }, 256);
                reader.commit();
            }
        }
        System.out.println("point=" + point + " ring=" + sum[0] + "/" + sum[1]);
    }
}
