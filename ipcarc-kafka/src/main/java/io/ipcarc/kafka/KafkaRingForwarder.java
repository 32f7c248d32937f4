package io.ipcarc.kafka;

import io.ipcarc.kafka.events.TransactionCommitEvent;
import io.ipcarc.ring.EntryHandler;
import io.ipcarc.ring.LossListener;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingEntry;
import io.ipcarc.ring.RingOverrunException;
import io.ipcarc.ring.RingReader;
import io.ipcarc.ring.WaitStrategy;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Forwards the entries of a ring to a Kafka topic, exactly once across crashes: reader
 * {@code readerId} of the ring sends each entry as one record ({@link RecordFormat}) inside a
 * Kafka transaction, and stores its ring position only after the transaction committed. A
 * restarted forwarder fences its predecessor ({@code initTransactions()}), finds the last entry
 * its stream committed ({@link CommittedTail}) and resumes right after it. While Kafka is
 * unreachable it holds its ring position (a lossless writer waits; a lossy one overwrites and the
 * reader reports the lost range), logs the outage once per interval, and goes on when Kafka is
 * back. Protocol, settings and every crash point: docs/kafka.md.
 *
 * <pre>{@code
 * try (Ring<Long> ring = Ring.open("/numbers", Long.class, Duration.ofMinutes(1));
 *      KafkaRingForwarder<Long> forwarder = KafkaRingForwarder.builder(ring, 0)
 *              .bootstrapServers(bootstrap).topic(topic).build()) {
 *     forwarder.run(() -> forwarder.committedPosition() < 1_000); // or until your shutdown flag is set
 * }
 * }</pre>
 *
 * <p>Consumers must read with {@code isolation.level=read_committed}. Not thread-safe: one
 * thread runs it. Closing it aborts a transaction left open, closes the producer and leaves the
 * reader slot registered at its committed position (a restart resumes there).
 *
 * @param <T> the ring's entry type
 */
public final class KafkaRingForwarder<T> implements AutoCloseable {
    /** Entries per transaction unless the builder says otherwise (capped at half the ring). */
    public static final int DEFAULT_ENTRIES_PER_TRANSACTION = 10_000;
    /** The longest a transaction stays open once it holds an entry, unless the builder says otherwise. */
    public static final Duration DEFAULT_MAX_TRANSACTION_TIME = Duration.ofMillis(100);
    /** The least time between two lines about one outage, unless the builder says otherwise. */
    public static final Duration DEFAULT_OUTAGE_LOG_INTERVAL = Duration.ofSeconds(10);
    /**
     * How long Kafka may keep failing (each attempt times out after {@code max.block.ms}) before it
     * is logged as unavailable, unless the builder says otherwise: ordinary latency on a loaded host
     * is retried without a line.
     */
    public static final Duration DEFAULT_OUTAGE_GRACE = Duration.ofSeconds(5);
    /** A second fence within this time means a twin with the same transactional id: give up. */
    static final long FENCE_WINDOW_NANOS = 10_000_000_000L;
    /** Most entries handed over by one poll of the ring. */
    private static final int POLL_MAX = 4096;
    /** The longest one search for the committed tail may take before it counts as a failed attempt. */
    private static final Duration TAIL_TIMEOUT = Duration.ofSeconds(15);
    /** Pause between two failed attempts to start, so that a fast failure does not spin. */
    private static final long RETRY_PAUSE_NANOS = 200_000_000L;

    private final Ring<T> ring;
    private final RingReader<T> reader;
    private final RingSource source;
    private final String topic;
    private final String who;
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> clientConfig;
    private final Function<RingEntry<T>, byte[]> keyFunction;
    private final Function<RingEntry<T>, byte[]> valueEncoder;
    private final int entriesPerTransaction;
    private final long maxTransactionNanos;
    private final WaitStrategy wait;
    private final Consumer<String> log;
    private final LossListener losses;
    private final OutageLog outage;
    private final byte[] sourceHeader;
    private final Sender sender = new Sender();
    /** Runs after each Kafka commit, before the ring position is stored: the crash-point tests halt the JVM there. */
    private Runnable afterKafkaCommit = () -> { };

    private KafkaProducer<byte[], byte[]> producer;
    private boolean started;
    private boolean firstStart = true;
    private boolean inTransaction;
    /** {@code commitTransaction()} timed out: the producer allows nothing but calling it again (not even an abort). */
    private boolean commitPending;
    private long lastFenced;
    private boolean fencedBefore;
    private long forwarded;
    private long transactions;
    private boolean closed;

    private KafkaRingForwarder(Builder<T> b) {
        this.ring = b.ring;
        this.source = new RingSource(b.instance, ring.name(), b.readerId);
        this.topic = b.topic;
        this.who = b.logPrefix != null ? b.logPrefix : "kafka forwarder " + source.label();
        this.keyFunction = b.keyFunction;
        this.valueEncoder = b.valueEncoder;
        this.entriesPerTransaction = Math.max(1, Math.min(b.entriesPerTransaction, ring.capacity() / 2));
        this.maxTransactionNanos = b.maxTransactionTime.toNanos();
        this.wait = b.wait;
        this.log = b.log;
        this.sourceHeader = source.headerValue();
        this.clientConfig = new HashMap<>(b.clientProperties);
        this.clientConfig.put("bootstrap.servers", b.bootstrapServers);
        this.producerConfig = producerConfig(clientConfig, b.producerProperties, source.transactionalId());
        this.outage = new OutageLog(log, who, "bootstrap=" + b.bootstrapServers + ", topic=" + topic,
                b.outageGrace.toNanos(), b.outageLogInterval.toNanos());
        LossListener user = b.losses;
        this.losses = (from, to) -> {
            log.accept(String.format("%s: LOST seq %d..%d (%d entries): the writer overwrote them", who, from, to - 1, to - from));
            user.onLoss(from, to);
        };
        this.reader = ring.claimReader(b.readerId, b.startFrom);
    }

    /**
     * The producer settings of docs/kafka.md ("Settings"), then the caller's.
     *
     * @return a new map
     */
    private static Map<String, Object> producerConfig(Map<String, Object> client, Map<String, Object> extra, String txId) {
        Map<String, Object> c = new HashMap<>(client);
        c.put("enable.idempotence", true);
        c.put("acks", "all");
        c.put("batch.size", 262_144);
        c.put("linger.ms", 5);
        c.put("compression.type", "none");
        c.put("buffer.memory", 64L << 20);
        c.put("max.block.ms", 1000);
        c.putAll(extra);
        c.put("transactional.id", txId); // the stream's identity: never overridden
        return c;
    }

    /**
     * Returns a builder.
     *
     * @param ring the ring to forward (the caller keeps it open for as long as the forwarder runs)
     * @param readerId the reader slot the forwarder claims
     * @param <T> the entry type
     * @return a builder
     */
    public static <T> Builder<T> builder(Ring<T> ring, int readerId) {
        return new Builder<>(ring, readerId);
    }

    /**
     * Returns the stream: instance, ring name and reader id.
     *
     * @return the stream: instance, ring name and reader id
     */
    public RingSource source() {
        return source;
    }

    /**
     * Returns the topic.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * Returns entries per transaction: the builder's, at most half the ring's capacity.
     *
     * @return entries per transaction: the builder's, at most half the ring's capacity
     */
    public int entriesPerTransaction() {
        return entriesPerTransaction;
    }

    /**
     * Returns the ring position stored after the last committed transaction.
     *
     * @return the ring position stored after the last committed transaction
     */
    public long committedPosition() {
        return reader.committedPosition();
    }

    /**
     * Returns entries this forwarder committed to Kafka since it was built.
     *
     * @return entries this forwarder committed to Kafka since it was built
     */
    public long forwarded() {
        return forwarded;
    }

    /**
     * Returns Kafka transactions this forwarder committed since it was built.
     *
     * @return Kafka transactions this forwarder committed since it was built
     */
    public long transactions() {
        return transactions;
    }

    /**
     * Returns entries the reader lost to a lossy writer, in total (stored in the ring).
     *
     * @return entries the reader lost to a lossy writer, in total (stored in the ring)
     */
    public long lost() {
        return reader.lost();
    }

    /**
     * Returns entries published but not yet committed to Kafka by this forwarder.
     *
     * @return entries published but not yet committed to Kafka by this forwarder
     */
    public long lag() {
        return ring.writePosition() - reader.committedPosition();
    }

    /** How the forwarder's requests to Kafka fare (docs/kafka.md, "Outages and backpressure"). */
    public enum KafkaState {
        /** The last request to Kafka succeeded (or none failed yet). */
        OK,
        /** Requests fail, for less than the grace: retried, not logged (ordinary latency on a loaded host, or an outage beginning). */
        RETRYING,
        /** Requests have failed for at least the grace: an outage, logged once per interval. */
        UNAVAILABLE
    }

    /**
     * Returns how the forwarder's requests to Kafka fare now.
     *
     * @return how the forwarder's requests to Kafka fare now
     */
    public KafkaState kafkaState() {
        return outage.state();
    }

    /**
     * Returns how long requests to Kafka have been failing, zero if the last one succeeded.
     *
     * @return how long requests to Kafka have been failing, zero if the last one succeeded
     */
    public Duration failingFor() {
        return outage.failingFor();
    }

    /**
     * Returns failed attempts to reach Kafka since the forwarder was built (each one retried).
     *
     * @return failed attempts to reach Kafka since the forwarder was built (each one retried)
     */
    public long failedAttempts() {
        return outage.failedAttempts();
    }

    /**
     * Forwards until {@code running} turns false, then commits what it holds and returns. Kafka
     * outages are waited out (and logged); a clean stop during one returns with the open
     * transaction left to Kafka (see {@link #close()}), the position where the last commit left it.
     *
     * @param running polled between entries and between attempts to reach Kafka
     * @throws KafkaForwardException if Kafka refuses the setup (see {@link KafkaForwardException.Reason}),
     *     or a twin keeps fencing this forwarder
     */
    public void run(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            forwardOnce(running);
        }
    }

    /**
     * One transaction, or one attempt to reach Kafka: starts (or restarts after a failure) if
     * needed, then sends entries until the transaction holds {@link #entriesPerTransaction()}, or
     * has been open for the maximum time, or {@code running} turns false, commits, and stores the
     * ring position. While Kafka is unreachable it makes one attempt (at most about
     * {@code max.block.ms}, 1 s) and returns 0; the next call tries again where this one stopped
     * (a commit that timed out is called again: nothing else is allowed then), so a caller's loop
     * keeps control during an outage.
     *
     * @param running polled while waiting for entries
     * @return entries committed by this call (0 if none came, or Kafka did not answer in time)
     * @throws KafkaForwardException if Kafka refuses the setup (see {@link KafkaForwardException.Reason}),
     *     or a twin keeps fencing this forwarder
     */
    public int forwardOnce(BooleanSupplier running) {
        checkOpen();
        try {
            if (commitPending) {
                return commit() ? committed() : 0;
            }
            if (!started && !start()) {
                return 0;
            }
            sender.count = 0;
            gather(running);
            if (inTransaction) {
                return commit() ? committed() : 0;
            }
            reader.commit(); // no entry, but a lost range may have moved the position
            outage.recovered();
            return 0;
        } catch (RingOverrunException | KafkaException e) {
            failed(e);
            return 0;
        }
    }

    /** After a successful commit: counts, runs the test hook, stores the position. */
    private int committed() {
        inTransaction = false;
        transactions++;
        forwarded += sender.count;
        afterKafkaCommit.run();
        // Release store of the position, only now that Kafka holds the entries (or they were lost).
        reader.commit();
        outage.recovered();
        return sender.count;
    }

    /** Polls entries into the open transaction until it is full, old enough, or the caller stops. */
    private void gather(BooleanSupplier running) {
        long firstAt = 0;
        long idleSince = System.nanoTime();
        int rounds = 0;
        while (sender.count < entriesPerTransaction) {
            int got = reader.poll(sender, losses, Math.min(POLL_MAX, entriesPerTransaction - sender.count));
            long now = System.nanoTime();
            if (got > 0) {
                if (firstAt == 0) {
                    firstAt = now;
                }
                rounds = 0;
                idleSince = now;
                if (now - firstAt >= maxTransactionNanos) {
                    return; // open long enough, even if entries keep coming slower than N per T
                }
                continue;
            }
            if (sender.count > 0 && now - firstAt >= maxTransactionNanos) {
                return;
            }
            if (!running.getAsBoolean() || (sender.count == 0 && now - idleSince >= maxTransactionNanos)) {
                return; // stopping, or nothing came for a while: the caller decides what next
            }
            long left = sender.count > 0 ? maxTransactionNanos - (now - firstAt) : maxTransactionNanos;
            reader.idle(wait, rounds++, Math.max(0, left));
        }
    }

    /** Sends each entry as one record; begins the transaction at the first. */
    private final class Sender implements EntryHandler<T> {
        int count;

        @Override
        public void onEntry(RingEntry<T> e) {
            if (!inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
            }
            long seq = e.sequence();
            producer.send(new ProducerRecord<>(topic, null, keyFunction.apply(e), valueEncoder.apply(e),
                    RecordFormat.headers(ring.ringId(), sourceHeader, seq)));
            count++;
        }
    }

    /**
     * One attempt to commit the open transaction. A timeout leaves the commit pending: the next
     * call of {@link #forwardOnce} calls it again, as the producer requires (it may be completing).
     *
     * @return whether it committed
     */
    private boolean commit() {
        TransactionCommitEvent event = new TransactionCommitEvent();
        String outcome = "failed"; // stays so if the commit throws anything but a timeout
        event.begin();
        try {
            producer.commitTransaction();
            commitPending = false;
            outcome = "committed";
            return true;
        } catch (TimeoutException e) {
            commitPending = true;
            outcome = "timed-out";
            outage.failed(e, holding());
            return false;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.ring = ring.name();
                event.topic = topic;
                event.transactionalId = source.transactionalId();
                event.entries = sender.count;
                event.position = reader.position();
                event.outcome = outcome;
                event.commit();
            }
        }
    }

    /**
     * The transaction cannot commit, or the start failed: drop the producer; the next start
     * fences it, aborts its transaction (or completes its commit), and resumes after what Kafka
     * holds. A permanent error ends the forwarder instead.
     */
    private void failed(RuntimeException e) {
        refuseIfPermanent(e);
        if (e instanceof ProducerFencedException) {
            long now = System.nanoTime();
            if (fencedBefore && now - lastFenced < FENCE_WINDOW_NANOS) {
                dropProducer();
                throw new KafkaForwardException(KafkaForwardException.Reason.FENCED_TWICE,
                        "fenced by another producer with the same transactional.id twice within 10 s:"
                        + " transactionalId=" + source.transactionalId() + ", ring=" + ring.name() + ", topic=" + topic
                        + " (is instance=" + source.instance() + " used on two hosts?)", e);
            }
            fencedBefore = true;
            lastFenced = now;
        }
        outage.failed(e, holding());
        dropProducer();
    }

    /** Throws for a failure retrying cannot cure ({@link PermanentErrors}), after dropping the producer. */
    private void refuseIfPermanent(RuntimeException e) {
        Optional<KafkaForwardException.Reason> permanent = PermanentErrors.of(e);
        if (permanent.isPresent()) {
            throw refused(permanent.get(), oneLine(e), e);
        }
    }

    /** Drops the producer and returns the exception for a setup Kafka refuses, naming ring, topic, reason and cause in one line. */
    private KafkaForwardException refused(KafkaForwardException.Reason reason, String cause, RuntimeException e) {
        dropProducer();
        return new KafkaForwardException(reason, "cannot forward: reason=" + reason + ", ring=" + ring.name() + ", topic=" + topic
                + ", cause=" + cause + "; ring position stays at stored=" + reader.committedPosition(), e);
    }

    /** The exception and its causes' messages, in one line. */
    private static String oneLine(Throwable e) {
        StringBuilder b = new StringBuilder();
        Throwable t = e;
        for (int i = 0; t != null && i < 4; i++, t = t.getCause()) {
            if (i > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString().replace('\n', ' ').replace('\r', ' ');
    }

    private void dropProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException ignored) {
                // it is being discarded; the next start fences it
            }
        }
        producer = null;
        started = false;
        inTransaction = false;
        commitPending = false;
    }

    private String holding() {
        return "holding ring position " + reader.committedPosition() + " (" + (reader.position() - reader.committedPosition())
                + " entries pending)";
    }

    /**
     * One attempt to start: a new producer, {@code initTransactions()} (fences every earlier
     * producer of the stream and completes or aborts its transaction), the committed tail, and the
     * position right after it. A timed-out {@code initTransactions()} keeps the producer (the next
     * attempt calls it again, as the producer allows); any other failure drops it and pauses
     * 200 ms so that a fast failure does not spin.
     *
     * @return whether it started
     */
    private boolean start() {
        try {
            if (producer == null) {
                producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
            }
            producer.initTransactions(); // retried after a TimeoutException, as the producer allows
            OptionalLong tail = CommittedTail.lastCommittedSeq(clientConfig, topic, source, ring.ringId(), TAIL_TIMEOUT);
            resume(tail);
            started = true;
            firstStart = false;
            outage.recovered();
            return true;
        } catch (TimeoutException e) {
            outage.failed(e, holding());
            return false;
        } catch (IllegalStateException e) {
            if (firstStart && e.getMessage() != null && e.getMessage().startsWith(CommittedTail.TOPIC_NOT_FOUND)) {
                throw refused(KafkaForwardException.Reason.TOPIC_NOT_FOUND, e.getMessage() + " (the forwarder never creates topics)", e);
            }
            failed(e);
        } catch (KafkaException e) {
            failed(e);
        }
        LockSupport.parkNanos(RETRY_PAUSE_NANOS);
        return false;
    }

    /** Step 4 and 5 of the start: resume right after the committed tail (Kafka is the authority), or at the stored position. */
    private void resume(OptionalLong tail) {
        long stored = reader.committedPosition();
        long next = tail.isPresent() ? tail.getAsLong() + 1 : stored;
        if (firstStart || next != stored) {
            log.accept(String.format("%s: ring=%s name=%s topic=%s resuming at seq=%d (stored=%d, topic ends at %s),"
                    + " entriesPerTransaction=%d", who, HexFormat.of().toHexDigits(ring.ringId()), ring.name(), topic, next,
                    stored, tail.isPresent() ? Long.toString(tail.getAsLong()) : "none", entriesPerTransaction));
        }
        if (next < stored) {
            log.accept(String.format("%s: the topic ends before the stored ring position: topic=%s, tail=%d, stored=%d;"
                    + " resending from %d what the ring still holds", who, topic, tail.getAsLong(), stored, next));
        }
        reader.seek(next);
        reader.commit();
    }

    /**
     * Aborts a transaction left open, closes the producer (waiting up to 2 s for what it has in
     * flight) and leaves the reader slot registered at its committed position. A commit that timed
     * out (a stop during an outage) cannot be aborted: it is left to Kafka, which completes it if
     * it reached the coordinator, and the next start resumes after what Kafka holds. Never throws
     * for Kafka's state. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (producer != null && commitPending) {
                // Not abortable now: the commit may have reached the coordinator. Kafka completes it or,
                // if it never arrived, the next start aborts it; either way the next start resumes after
                // what Kafka holds (ahead of the stored position if the commit completed).
                log.accept(String.format("%s: stopped with a commit in flight (%d entries, Kafka did not answer in time): Kafka"
                        + " completes or aborts it; the next start resumes after what Kafka holds, stored=%d", who, sender.count,
                        reader.committedPosition()));
            } else if (producer != null && inTransaction) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException | IllegalStateException e) {
                    log.accept(who + ": could not abort the open transaction (the next start aborts it): " + oneLine(e));
                }
            }
            if (producer != null) {
                try {
                    producer.close(Duration.ofSeconds(2));
                } catch (KafkaException ignored) {
                    // closing anyway
                }
            }
        } finally {
            producer = null;
            reader.close();
        }
    }

    /**
     * For the crash-point tests of this package only.
     *
     * @param hook runs after each Kafka commit, before the ring position is stored
     */
    void afterKafkaCommit(Runnable hook) {
        this.afterKafkaCommit = Objects.requireNonNull(hook, "hook");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kafka forwarder is closed: ring=" + ring.name() + ", topic=" + topic);
        }
    }

    @Override
    public String toString() {
        return "KafkaRingForwarder[" + source.label() + " -> " + topic + ", committed=" + reader.committedPosition() + "]";
    }

    /**
     * Settings of a {@link KafkaRingForwarder}. Required: {@link #bootstrapServers} and
     * {@link #topic}; the rest has the defaults of docs/kafka.md.
     *
     * @param <T> the ring's entry type
     */
    public static final class Builder<T> {
        private final Ring<T> ring;
        private final int readerId;
        private String bootstrapServers;
        private String topic;
        private String instance = defaultInstance();
        private io.ipcarc.ring.StartFrom startFrom = io.ipcarc.ring.StartFrom.OLDEST;
        private int entriesPerTransaction = DEFAULT_ENTRIES_PER_TRANSACTION;
        private Duration maxTransactionTime = DEFAULT_MAX_TRANSACTION_TIME;
        private Duration outageLogInterval = DEFAULT_OUTAGE_LOG_INTERVAL;
        private Duration outageGrace = DEFAULT_OUTAGE_GRACE;
        private Function<RingEntry<T>, byte[]> keyFunction = e -> RecordFormat.sequenceKey(e.sequence());
        private Function<RingEntry<T>, byte[]> valueEncoder = KafkaRingForwarder::entryBytes;
        private final Map<String, Object> clientProperties = new HashMap<>();
        private final Map<String, Object> producerProperties = new HashMap<>();
        private WaitStrategy wait = WaitStrategy.BLOCK;
        private Consumer<String> log = System.err::println;
        private LossListener losses = LossListener.IGNORE;
        private String logPrefix;

        private Builder(Ring<T> ring, int readerId) {
            this.ring = Objects.requireNonNull(ring, "ring");
            this.readerId = readerId;
        }

        /**
         * Sets Kafka's {@code bootstrap.servers}, for example {@code 127.0.0.1:9092}.
         *
         * @param servers Kafka's {@code bootstrap.servers}, for example {@code 127.0.0.1:9092}
         * @return this builder
         */
        public Builder<T> bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /**
         * Sets the topic, which must exist (the forwarder never creates one).
         *
         * @param name the topic, which must exist (the forwarder never creates one)
         * @return this builder
         */
        public Builder<T> topic(String name) {
            this.topic = name;
            return this;
        }

        /**
         * Sets this host's name among all that forward into the cluster, without {@code :} (default: the
         * host name).
         *
         * @param name this host's name among all that forward into the cluster, without {@code :}
         *     (default: the host name)
         * @return this builder
         */
        public Builder<T> instance(String name) {
            this.instance = name;
            return this;
        }

        /**
         * Sets where a reader slot with no stored position starts (default: the oldest entry).
         *
         * @param from where a reader slot with no stored position starts (default: the oldest entry)
         * @return this builder
         */
        public Builder<T> startFrom(io.ipcarc.ring.StartFrom from) {
            this.startFrom = Objects.requireNonNull(from, "from");
            return this;
        }

        /**
         * Sets entries per Kafka transaction (default 10,000; at most half the ring's capacity is used).
         *
         * @param n entries per Kafka transaction (default 10,000; at most half the ring's capacity is used)
         * @return this builder
         */
        public Builder<T> entriesPerTransaction(int n) {
            this.entriesPerTransaction = n;
            return this;
        }

        /**
         * Sets the longest a transaction stays open once it holds an entry (default 100 ms).
         *
         * @param t the longest a transaction stays open once it holds an entry (default 100 ms)
         * @return this builder
         */
        public Builder<T> maxTransactionTime(Duration t) {
            this.maxTransactionTime = Objects.requireNonNull(t, "t");
            return this;
        }

        /**
         * Sets the least time between two log lines about one outage (default 10 s).
         *
         * @param interval the least time between two log lines about one outage (default 10 s)
         * @return this builder
         */
        public Builder<T> outageLogInterval(Duration interval) {
            this.outageLogInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets how long requests to Kafka may keep failing before the forwarder logs an outage
         * (default 5 s); shorter failures are retried without a line and counted in
         * {@link KafkaRingForwarder#failedAttempts()}.
         *
         * @param grace how long requests to Kafka may keep failing before an outage is logged (default 5 s)
         * @return this builder
         */
        public Builder<T> outageGrace(Duration grace) {
            this.outageGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * Sets the record key of an entry (default: the sequence, 8 bytes big-endian); called while the
         * entry is valid only, so read it there.
         *
         * @param f the record key of an entry (default: the sequence, 8 bytes big-endian); called
         *     while the entry is valid only, so read it there
         * @return this builder
         */
        public Builder<T> keyFunction(Function<RingEntry<T>, byte[]> f) {
            this.keyFunction = Objects.requireNonNull(f, "f");
            return this;
        }

        /**
         * Sets the record value of an entry (default: the entry's bytes as the ring holds them).
         *
         * @param f the record value of an entry (default: the entry's bytes as the ring holds them)
         * @return this builder
         */
        public Builder<T> valueEncoder(Function<RingEntry<T>, byte[]> f) {
            this.valueEncoder = Objects.requireNonNull(f, "f");
            return this;
        }

        /**
         * Sets a setting for the producer and the resume search's consumers, such as security settings.
         *
         * @param key a setting for the producer and the resume search's consumers, such as security settings
         * @param value its value
         * @return this builder
         */
        public Builder<T> clientProperty(String key, Object value) {
            clientProperties.put(key, value);
            return this;
        }

        /**
         * Sets a producer setting that replaces the forwarder's (never {@code transactional.id}).
         *
         * @param key a producer setting that replaces the forwarder's (never {@code transactional.id})
         * @param value its value
         * @return this builder
         */
        public Builder<T> producerProperty(String key, Object value) {
            producerProperties.put(key, value);
            return this;
        }

        /**
         * Sets how to wait for the writer (default {@link WaitStrategy#BLOCK}).
         *
         * @param strategy how to wait for the writer (default {@link WaitStrategy#BLOCK})
         * @return this builder
         */
        public Builder<T> waitStrategy(WaitStrategy strategy) {
            this.wait = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Sets where the forwarder's lines go (default: standard error).
         *
         * @param sink where the forwarder's lines go (default: standard error)
         * @return this builder
         */
        public Builder<T> log(Consumer<String> sink) {
            this.log = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Sets the start of each log line (default {@code kafka forwarder INSTANCE:NAME#READER}).
         *
         * @param prefix the start of each log line (default {@code kafka forwarder INSTANCE:NAME#READER})
         * @return this builder
         */
        public Builder<T> logPrefix(String prefix) {
            this.logPrefix = prefix;
            return this;
        }

        /**
         * Sets told each range of entries a lossy writer overwrote before they were forwarded (each is
         * logged as {@code LOST seq a..b} too).
         *
         * @param listener told each range of entries a lossy writer overwrote before they were
         *     forwarded (each is logged as {@code LOST seq a..b} too)
         * @return this builder
         */
        public Builder<T> lossListener(LossListener listener) {
            this.losses = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Claims the reader slot; Kafka is reached on the first {@link KafkaRingForwarder#forwardOnce}.
         *
         * @return the forwarder
         * @throws IllegalArgumentException naming the ring for a missing bootstrap or topic, a topic
         *     name Kafka does not allow ({@link TopicNames}), an instance with {@code :}, a negative
         *     outage grace or a non-positive transaction size or time
         * @throws io.ipcarc.ring.RingSlotBusyException if a live reader holds the slot
         */
        public KafkaRingForwarder<T> build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrap servers missing: ring=" + ring.name() + ", topic=" + topic);
            }
            if (topic == null) {
                throw new IllegalArgumentException("topic missing: ring=" + ring.name() + ", bootstrap=" + bootstrapServers);
            }
            try {
                TopicNames.requireLegal(topic);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ", ring=" + ring.name(), e);
            }
            if (outageGrace.isNegative()) {
                throw new IllegalArgumentException("outage grace must not be negative: ring=" + ring.name() + ", topic=" + topic
                        + ", outageGrace=" + outageGrace);
            }
            if (entriesPerTransaction < 1 || maxTransactionTime.isNegative() || maxTransactionTime.isZero()) {
                throw new IllegalArgumentException("entries per transaction and transaction time must be positive: ring="
                        + ring.name() + ", topic=" + topic + ", entriesPerTransaction=" + entriesPerTransaction
                        + ", maxTransactionTime=" + maxTransactionTime);
            }
            new RingSource(instance, ring.name(), readerId); // validates the identity before the slot is claimed
            return new KafkaRingForwarder<>(this);
        }

        private static String defaultInstance() {
            String h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.net.UnknownHostException e) {
                    h = "localhost";
                }
            }
            return h.replace(':', '_');
        }
    }

    /** The default record value: the entry's bytes exactly as the ring holds them. */
    private static byte[] entryBytes(RingEntry<?> e) {
        byte[] v = new byte[e.capacity()];
        e.getBytes(0, v, 0, v.length);
        return v;
    }
}
