package io.ipcarc.kafka;

/**
 * A Kafka forwarder cannot go on: the topic does not exist, another producer with the same
 * transactional id keeps fencing it, or the ring is gone. The message names the ring and the
 * topic, {@code key=value} style; the Kafka client's exception, if any, is the cause.
 */
public final class KafkaForwardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Sets what failed, {@code key=value} style, naming the ring and the topic.
     *
     * @param message what failed, {@code key=value} style, naming the ring and the topic
     * @param cause the underlying failure, or null
     */
    public KafkaForwardException(String message, Throwable cause) {
        super(message, cause);
    }
}
