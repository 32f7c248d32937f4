package io.ipcarc.ring;

import java.util.concurrent.locks.LockSupport;

/**
 * The program the ring's cross-process tests start in separate JVMs: it claims a role of a ring
 * of {@code Long}, says so on stdout and keeps it until killed, or plays a producer or a consumer
 * that ends on its own.
 * <ul>
 *   <li>{@code writer NAME N}: claims the writer (lossy), publishes N entries, prints {@code WRITER next=<seq>};</li>
 *   <li>{@code reader NAME ID N}: claims reader ID, consumes and commits N entries, prints {@code READER position=<seq>};</li>
 *   <li>{@code produce NAME N CAPACITY lossless|lossy}: creates the ring with reader 0 reserved, publishes the
 *       values 0 to N-1 (printing {@code FULL next=<seq>} the first time a lossless ring has no room, then waiting
 *       for reader 0), prints {@code PUBLISHED next=<seq> keeps=<keepsUnreadEntries>}, closes the ring and exits;</li>
 *   <li>{@code consume NAME [N]}: opens the ring, claims reader 0 and consumes from its stored position up to N
 *       (default: the write position at start, for a ring whose writer is gone), checking that each entry's value
 *       is its sequence and that the sequences follow one another;
 *       prints {@code CONSUMED count=<entries> bad=<wrong entries> refCount=<handles>}, closes the ring and exits.</li>
 * </ul>
 */
public final class RingChild {
    private RingChild() {
    }

    /**
     * @param args a command and its arguments
     * @throws InterruptedException never: the waits are not interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        switch (args[0]) {
            case "produce" -> {
                produce(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]),
                        args[4].equals("lossless") ? WriterMode.LOSSLESS : WriterMode.LOSSY);
                return;
            }
            case "consume" -> {
                consume(args[1], args.length > 2 ? Long.parseLong(args[2]) : -1);
                return;
            }
            default -> {
                // a role, kept until killed
            }
        }
        Ring<Long> ring = Ring.open(args[1], Long.class);
        switch (args[0]) {
            case "writer" -> {
                RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY);
                for (long i = 0, n = Long.parseLong(args[2]); i < n; i++) {
                    w.publish(i);
                }
                System.out.println("WRITER next=" + w.nextSequence());
            }
            case "reader" -> {
                RingReader<Long> r = ring.claimReader(Integer.parseInt(args[2]));
                r.poll(e -> { }, Integer.parseInt(args[3]));
                r.commit();
                System.out.println("READER position=" + r.position());
            }
            default -> throw new IllegalArgumentException("unknown command: " + args[0]);
        }
        while (true) {
            LockSupport.park();
        }
    }

    private static void produce(String name, long n, int capacity, WriterMode mode) throws InterruptedException {
        try (Ring<Long> ring = Ring.create(name, Long.class, RingOptions.defaults().withCapacity(capacity).withReservedReaders(0));
             RingWriter<Long> w = ring.claimWriter(mode)) {
            boolean full = false;
            for (long i = 0; i < n; i++) {
                if (full) {
                    w.publish(i);
                } else if (w.tryPublish(i) == RingWriter.NO_ROOM) {
                    full = true;
                    System.out.println("FULL next=" + w.nextSequence());
                    System.out.flush();
                    w.publish(i);
                }
            }
            System.out.println("PUBLISHED next=" + w.nextSequence() + " keeps=" + ring.keepsUnreadEntries());
        }
        System.out.flush();
    }

    private static void consume(String name, long upTo) {
        long[] count = new long[1];
        long[] bad = new long[1];
        try (Ring<Long> ring = Ring.open(name, Long.class);
             RingReader<Long> r = ring.claimReader(0)) {
            long end = upTo >= 0 ? upTo : ring.writePosition();
            long start = r.position();
            int idle = 0;
            while (r.position() < end) {
                int got = r.poll(e -> {
                    if (e.sequence() != start + count[0] || e.decode() != start + count[0]) {
                        bad[0]++;
                    }
                    count[0]++;
                }, 256);
                r.commit();
                if (got == 0) {
                    r.idle(WaitStrategy.BLOCK, idle++);
                } else {
                    idle = 0;
                }
            }
            System.out.println("CONSUMED count=" + count[0] + " bad=" + bad[0] + " refCount=" + ring.refCount());
        }
        System.out.flush();
    }
}
