package io.ipcarc.cli;

import io.ipcarc.ShmType;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM that makes a ring for the inspection tests and keeps it open: capacity 16, 10
 * entries, reader 0 committed after 4 of them, reader 1 after none, reader 5 reserved, the writer
 * still holding its role. Prints {@code RING write=10} when ready.
 *
 * <p>With {@code retain} after the name: a lossless producer of 10 entries for reader 0 (reserved)
 * that closes the ring and exits, printing {@code CLOSED}: the ring is kept for reader 0.
 */
public final class RingChild {
    private RingChild() {
    }

    /**
     * @param args the ring's name, and {@code retain} for the producer that exits
     * @throws InterruptedException never: a lossy writer does not wait
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 1 && args[1].equals("retain")) {
            try (Ring<Long> ring = Ring.create(args[0], ShmType.of(Long.class), RingOptions.defaults().withCapacity(16)
                    .withReservedReaders(0));
                 RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
                for (long i = 0; i < 10; i++) {
                    writer.publish(i);
                }
            }
            System.out.println("CLOSED");
            return;
        }
        Ring<Long> ring = Ring.create(args[0], ShmType.of(Long.class), RingOptions.defaults().withCapacity(16)
                .withReservedReaders(5));
        RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSY);
        for (long i = 0; i < 10; i++) {
            writer.publish(i * 10);
        }
        RingReader<Long> first = ring.claimReader(0);
        first.poll(e -> { }, 4);
        first.commit();
        ring.claimReader(1);
        System.out.println("RING write=" + ring.writePosition());
        while (true) {
            LockSupport.park();
        }
    }
}
