package io.ipcarc.kafka;

import java.nio.charset.StandardCharsets;

/**
 * The stream one reporter forwards: reader {@code readerId} of the ring named {@code ringName} on
 * {@code instance} (a host name, or any name unique among the machines that forward into the
 * same Kafka cluster: ring names are only unique on one host). It names the reporter's Kafka
 * transactional id, so that a restarted reporter fences the one it replaces and reporters of
 * other hosts do not fence each other, and it is stamped on every record (header
 * {@value RecordFormat#SOURCE_HEADER}), so that the reporter finds its own last record in a
 * topic shared with other streams.
 *
 * @param instance the forwarding host's name, without {@code :}
 * @param ringName the ring's segment name, for example {@code /rpt_sys_shm}, without {@code #}
 * @param readerId the reader slot the reporter holds
 */
public record RingSource(String instance, String ringName, int readerId) {
    /** Prefix of every transactional id a reporter uses. */
    public static final String TRANSACTIONAL_ID_PREFIX = "ipcarc-reporter:";

    /**
     * Checks the parts of the identity.
     *
     * @param instance the forwarding host's name, without {@code :}
     * @param ringName the ring's segment name, without {@code #}
     * @param readerId the reader slot
     * @throws IllegalArgumentException for an empty instance or name, an instance containing
     *     {@code :}, a name containing {@code #}, or a negative reader id
     */
    public RingSource {
        if (instance == null || instance.isEmpty() || instance.indexOf(':') >= 0) {
            throw new IllegalArgumentException("instance must be non-empty and without ':': instance=" + instance);
        }
        if (ringName == null || ringName.isEmpty() || ringName.indexOf('#') >= 0) {
            throw new IllegalArgumentException("ring name must be non-empty and without '#': ringName=" + ringName);
        }
        if (readerId < 0) {
            throw new IllegalArgumentException("reader id must not be negative: ringName=" + ringName + ", readerId=" + readerId);
        }
    }

    /**
     * Returns {@code INSTANCE:NAME#READER}, the value of the source header.
     *
     * @return {@code INSTANCE:NAME#READER}, the value of the source header
     */
    public String label() {
        return instance + ":" + ringName + "#" + readerId;
    }

    /**
     * Returns the source header's value: {@link #label()} in UTF-8.
     *
     * @return the source header's value: {@link #label()} in UTF-8
     */
    public byte[] headerValue() {
        return label().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns {@code ipcarc-reporter:INSTANCE:NAME#READER}, the producer's {@code transactional.id}.
     *
     * @return {@code ipcarc-reporter:INSTANCE:NAME#READER}, the producer's {@code transactional.id}
     */
    public String transactionalId() {
        return TRANSACTIONAL_ID_PREFIX + label();
    }
}
