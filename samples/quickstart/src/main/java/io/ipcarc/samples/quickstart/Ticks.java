package io.ipcarc.samples.quickstart;

import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WaitStrategy;
import io.ipcarc.ring.WriterMode;
import java.time.Duration;

/**
 * The README's ring: a producer process publishes ticks into a lossless ring, a consumer process
 * reads them all, in order, whether it starts before or after the producer (and even after the
 * producer has ended: the ring keeps what its reserved reader has not read).
 *
 * <pre>java -cp ... io.ipcarc.samples.quickstart.Ticks produce|consume NAME COUNT</pre>
 * The consumer prints {@code consumed=COUNT in order} and exits 0, or exits 1.
 */
public final class Ticks {
    /** One entry of the ring: a plain record of primitives. */
    record Tick(long seq, double price) {
    }

    private Ticks() {
    }

    /**
     * @param args {@code produce} or {@code consume}, the ring's name, the number of ticks
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        String name = args[1];
        long count = Long.parseLong(args[2]);
        if (args[0].equals("produce")) {
            produce(name, count);
        } else {
            consume(name, count);
        }
    }

    private static void produce(String name, long count) throws InterruptedException {
        // Reader 0 is registered before the first entry, so it gets every tick.
        try (Ring<Tick> ring = Ring.create(name, Tick.class, RingOptions.defaults().withReservedReaders(0));
             RingWriter<Tick> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
            for (long i = 0; i < count; i++) {
                writer.publish(new Tick(i, 100 + i * 0.01)); // waits for reader 0 when the ring is full
            }
        }
        System.out.println("produced=" + count);
    }

    private static void consume(String name, long count) throws InterruptedException {
        long[] expected = {0};
        try (Ring<Tick> ring = Ring.open(name, Tick.class, Duration.ofMinutes(1));
             RingReader<Tick> reader = ring.claimReader(0)) {
            while (reader.position() < count) {
                int read = reader.poll(e -> {
                    Tick t = e.decode();
                    if (t.seq() != expected[0]++) {
                        throw new IllegalStateException("tick out of order: seq=" + t.seq() + ", expected=" + (expected[0] - 1));
                    }
                }, 256);
                if (read == 0) {
                    reader.idle(WaitStrategy.BLOCK, 100);
                }
                reader.commit(); // after the output is safe
            }
        }
        System.out.println("consumed=" + expected[0] + " in order");
        if (expected[0] != count) {
            System.exit(1);
        }
    }
}
