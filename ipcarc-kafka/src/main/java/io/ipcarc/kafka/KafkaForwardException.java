package io.ipcarc.kafka;

import java.util.Objects;

/**
 * A Kafka forwarder cannot go on: Kafka refuses its setup (the topic does not exist or is not
 * one it may write, the cluster refuses its credentials, a record is too large, a setting is
 * wrong), or another producer with the same transactional id keeps fencing it. The message names
 * the ring and the topic, {@code key=value} style; the Kafka client's exception, if any, is the
 * cause; {@link #reason()} says which case it is.
 */
public final class KafkaForwardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the forwarder cannot go on (docs/kafka.md, "Permanent errors"). */
    public enum Reason {
        /** The topic does not exist when the forwarder first starts (it never creates topics). */
        TOPIC_NOT_FOUND(true),
        /** Kafka refuses the topic: an illegal name, or one of its internal topics ({@code InvalidTopicException}). */
        INVALID_TOPIC(true),
        /** The cluster refuses this client: authentication failed, or an ACL denies the topic, the transactional id or the cluster. */
        ACCESS_DENIED(true),
        /** A record is larger than the producer's {@code max.request.size} or the topic's {@code max.message.bytes}. */
        RECORD_TOO_LARGE(true),
        /** A client setting is wrong, or the broker cannot serve what the settings ask for. */
        BAD_SETTINGS(true),
        /** Another producer with the same transactional id fenced this one twice within 10 s: a twin on another host. */
        FENCED_TWICE(false);

        private final boolean setup;

        Reason(boolean setup) {
            this.setup = setup;
        }

        /**
         * Returns whether it is a setup error: retrying cannot help until someone changes the
         * topic, the settings or the cluster's permissions.
         *
         * @return whether it is a setup error: retrying cannot help until someone changes the
         *     topic, the settings or the cluster's permissions
         */
        public boolean setup() {
            return setup;
        }
    }

    /** Why. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the forwarder cannot go on
     * @param message what failed, {@code key=value} style, naming the ring and the topic
     * @param cause the underlying failure, or null
     */
    public KafkaForwardException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Returns why the forwarder cannot go on.
     *
     * @return why the forwarder cannot go on
     */
    public Reason reason() {
        return reason;
    }
}
