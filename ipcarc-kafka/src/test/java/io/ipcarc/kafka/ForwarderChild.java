package io.ipcarc.kafka;

import io.ipcarc.ShmType;
import io.ipcarc.SharedView;
import io.ipcarc.ring.EntryWriter;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.ring.RingWriter;
import io.ipcarc.ring.WriterMode;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The programs the forwarder's cross-process tests start in separate JVMs, on rings of 64-byte
 * entries ({@link #ENTRY}) whose content is a function of the sequence ({@link #check}).
 * <ul>
 *   <li>{@code writer NAME COUNT RATE lossless|lossy CAPACITY}: creates the ring with reader 0
 *       reserved, publishes COUNT entries at RATE per second (0: as fast as it can), prints
 *       {@code WRITER done next=<seq>} and keeps the ring open until killed;</li>
 *   <li>{@code reporter NAME BOOTSTRAP TOPIC ENTRIES_PER_TRANSACTION [K]}: forwards reader 0 of the ring to
 *       the topic with a {@link KafkaRingForwarder} (instance {@code test-host}) until killed; its
 *       log lines start with {@code reporter:}. With K, it halts right after its K-th Kafka commit,
 *       before storing the ring position (the crash point "between 7 and 8" of docs/kafka.md).</li>
 * </ul>
 */
public final class ForwarderChild {
    /** The entry type of the tests' rings: 64 bytes. */
    static final ShmType<byte[]> ENTRY = ShmType.bytes(64);
    /** The tests' instance name. */
    static final String INSTANCE = "test-host";

    private ForwarderChild() {
    }

    /** Writes the entry of sequence {@code seq}. */
    static final EntryWriter BODY = (e, seq) -> {
        e.putLong(0, seq);
        e.putLong(8, ~seq);
        e.putLong(56, seq * 0x9E3779B97F4A7C15L);
    };

    /**
     * @param value a record's value
     * @param seq the sequence it should hold
     * @return whether it is the entry of that sequence, as the ring held it (native byte order)
     */
    static boolean check(byte[] value, long seq) {
        if (value.length != 64) {
            return false;
        }
        SharedView v = SharedView.wrap(value);
        return v.getLong(0) == seq && v.getLong(8) == ~seq && v.getLong(56) == seq * 0x9E3779B97F4A7C15L;
    }

    /**
     * @param args a command and its arguments
     * @throws InterruptedException if a lossless publish is interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        switch (args[0]) {
            case "writer" -> writer(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]), "lossless".equals(args[4]),
                    Integer.parseInt(args[5]));
            case "reporter" -> reporter(args[1], args[2], args[3], Integer.parseInt(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 0);
            default -> throw new IllegalArgumentException("unknown command: " + args[0]);
        }
    }

    private static void writer(String name, long count, long rate, boolean lossless, int capacity) throws InterruptedException {
        Ring<byte[]> ring = Ring.create(name, ENTRY, RingOptions.defaults().withCapacity(capacity).withReservedReaders(0));
        RingWriter<byte[]> w = ring.claimWriter(lossless ? WriterMode.LOSSLESS : WriterMode.LOSSY);
        System.out.println("WRITER started");
        long t0 = System.nanoTime();
        while (w.nextSequence() < count) {
            if (rate > 0) {
                long ahead = t0 + (long) (w.nextSequence() * (1e9 / rate)) - System.nanoTime();
                if (ahead > 100_000) {
                    LockSupport.parkNanos(ahead);
                    continue;
                }
            }
            w.publish(BODY);
        }
        System.out.println("WRITER done next=" + w.nextSequence());
        while (true) {
            LockSupport.park();
        }
    }

    private static void reporter(String name, String bootstrap, String topic, int perTransaction, int haltAfterCommits) {
        Ring<byte[]> ring = Ring.open(name, ENTRY, Duration.ofSeconds(60));
        try (KafkaRingForwarder<byte[]> f = KafkaRingForwarder.builder(ring, 0).bootstrapServers(bootstrap).topic(topic)
                .instance(INSTANCE).entriesPerTransaction(perTransaction).outageLogInterval(Duration.ofSeconds(2))
                .logPrefix("reporter").log(System.out::println).build()) {
            if (haltAfterCommits > 0) {
                int[] commits = {0};
                f.afterKafkaCommit(() -> {
                    if (++commits[0] == haltAfterCommits) {
                        System.out.println("HALT after Kafka commit " + commits[0] + ", before the position store: committed position "
                                + f.committedPosition());
                        Runtime.getRuntime().halt(137); // as abrupt as SIGKILL: no shutdown hook, no close
                    }
                });
            }
            System.out.println("REPORTER claimed");
            f.run(() -> true);
        }
    }
}
