package io.ipcarc.examples;

import io.ipcarc.kafka.KafkaForwardException;
import io.ipcarc.kafka.KafkaRingForwarder;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.StartFrom;
import io.ipcarc.ring.WaitStrategy;

/**
 * {@code reporter ID --kafka BOOTSTRAP --topic T}: the reporter forwarding the ring to a Kafka
 * topic instead of a CSV file, exactly once ({@link KafkaRingForwarder}; docs/kafka.md).
 */
final class KafkaReporter {
    /** Below this ring capacity a transaction holds too few entries for 200,000 entries/s. */
    static final int MIN_CAPACITY = 32_768;
    private static final long STATUS_NANOS = 1_000_000_000L;

    private KafkaReporter() {
    }

    /**
     * Forwards until SIGINT/SIGTERM, printing a status line every second (also while Kafka is
     * unreachable: the forwarder returns after each attempt).
     *
     * @return the exit code: 0 after a clean stop (also during an outage), 2 if Kafka refuses the
     *     setup (the topic is missing or not allowed, access denied, a setting or a record size is
     *     wrong), 1 if the forwarder cannot go on for another reason
     */
    static int follow(Ring<Tick> ring, int id, String bootstrap, String topic, String instance, WaitStrategy wait, StartFrom from) {
        String who = "reporter " + id;
        if (ring.capacity() < MIN_CAPACITY) {
            System.err.printf("%s: ring capacity %d holds transactions of at most %d entries; forwarding at 200,000 entries/s"
                    + " needs a capacity >= %d (65536 recommended: writer --capacity 65536)%n", who, ring.capacity(),
                    ring.capacity() / 2, MIN_CAPACITY);
        }
        KafkaRingForwarder.Builder<Tick> b = KafkaRingForwarder.builder(ring, id).bootstrapServers(bootstrap).topic(topic)
                .waitStrategy(wait).startFrom(from).logPrefix(who);
        if (instance != null) {
            b.instance(instance);
        }
        try (KafkaRingForwarder<Tick> f = b.build()) {
            Signals.exitAtOnce(false);
            System.err.printf("%s: forwarding %s to topic=%s bootstrap=%s as %s, %d entries per transaction%n", who, ring.name(),
                    topic, bootstrap, f.source().transactionalId(), f.entriesPerTransaction());
            long lastStatus = System.nanoTime();
            long last = f.forwarded();
            while (Signals.running()) {
                f.forwardOnce(Signals::running);
                long now = System.nanoTime();
                if (now - lastStatus >= STATUS_NANOS) {
                    System.err.printf("%s: committed=%d rate=%,d/s lag=%d lost=%d transactions=%d kafka=%s%n", who,
                            f.committedPosition(), (f.forwarded() - last) * STATUS_NANOS / (now - lastStatus), f.lag(), f.lost(),
                            f.transactions(), kafka(f));
                    last = f.forwarded();
                    lastStatus = now;
                }
            }
            System.err.printf("%s: stopped at committed=%d, forwarded=%d, lost=%d; slot kept (detached) for a restart%n", who,
                    f.committedPosition(), f.forwarded(), f.lost());
            return Main.OK;
        } catch (KafkaForwardException e) {
            System.err.println(who + ": error: " + e.getMessage());
            return e.reason().setup() ? Main.USAGE : Main.FAILED;
        } catch (IllegalArgumentException e) {
            System.err.println(who + ": error: " + e.getMessage());
            return Main.FAILED;
        }
    }

    /** {@code OK}, or {@code RETRYING for 2 s} / {@code UNAVAILABLE for 14 s}, with the failed attempts so far. */
    private static String kafka(KafkaRingForwarder<Tick> f) {
        KafkaRingForwarder.KafkaState state = f.kafkaState();
        String now = state == KafkaRingForwarder.KafkaState.OK ? state.name()
                : state + " for " + f.failingFor().toSeconds() + " s";
        return now + " (failed attempts " + f.failedAttempts() + ")";
    }
}
