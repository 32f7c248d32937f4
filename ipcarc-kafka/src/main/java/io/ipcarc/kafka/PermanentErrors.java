package io.ipcarc.kafka;

import io.ipcarc.kafka.KafkaForwardException.Reason;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Which failures are permanent (docs/kafka.md, "Permanent errors"): retrying cannot help until
 * someone changes the topic, the settings or the cluster's permissions, so the forwarder gives
 * up at once instead of logging an outage forever. Kafka's own family of them is
 * {@link InvalidConfigurationException} (an illegal or internal topic, authorization and
 * authentication failures, an unsupported version), plus the client's {@link ConfigException}
 * and a record too large. Everything else, retriable or not, is treated as an outage: the
 * producer is replaced and the start is tried again.
 */
final class PermanentErrors {
    /** Causes looked at, at most (a cycle in a cause chain must not hang the forwarder). */
    private static final int DEPTH = 16;

    private PermanentErrors() {
    }

    /**
     * Returns the reason if the failure or one of its causes is permanent.
     *
     * @param failure what a Kafka call threw (the client wraps a failed send's error into the
     *     commit's exception, and {@link CommittedTail} wraps the consumer's)
     * @return the reason if the failure or one of its causes is permanent
     */
    static Optional<Reason> of(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < DEPTH; i++, t = t.getCause()) {
            if (t instanceof RetriableException) {
                continue;
            }
            if (t instanceof InvalidTopicException) {
                return Optional.of(Reason.INVALID_TOPIC);
            }
            if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
                return Optional.of(Reason.ACCESS_DENIED);
            }
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return Optional.of(Reason.RECORD_TOO_LARGE);
            }
            if (t instanceof InvalidConfigurationException || t instanceof ConfigException) {
                return Optional.of(Reason.BAD_SETTINGS);
            }
        }
        return Optional.empty();
    }
}
