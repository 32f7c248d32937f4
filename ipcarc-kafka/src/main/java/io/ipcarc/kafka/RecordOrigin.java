package io.ipcarc.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a forwarded record came from, read back from its headers (see {@link RecordFormat}).
 *
 * @param ringId the ring's id
 * @param source {@code INSTANCE:NAME#READER} of the reporter that wrote it
 * @param seq the entry's sequence
 */
public record RecordOrigin(long ringId, String source, long seq) {
    /**
     * Returns its origin, or null when it lacks one of the three headers (a record some other
     * producer wrote).
     *
     * @param headers a record's headers
     * @return its origin, or null when it lacks one of the three headers (a record some other
     *     producer wrote)
     * @throws IllegalArgumentException when a header is there but malformed
     */
    public static RecordOrigin of(Headers headers) {
        Header ring = headers.lastHeader(RecordFormat.RING_HEADER);
        Header source = headers.lastHeader(RecordFormat.SOURCE_HEADER);
        Header seq = headers.lastHeader(RecordFormat.SEQ_HEADER);
        if (ring == null || source == null || seq == null) {
            return null;
        }
        try {
            return new RecordOrigin(RecordFormat.u64(ring.value()), new String(source.value(), StandardCharsets.UTF_8),
                    RecordFormat.u64(seq.value()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed ipcarc headers: " + e.getMessage(), e);
        }
    }

    /**
     * Returns whether this record was written by that stream's reporter.
     *
     * @param s a stream
     * @return whether this record was written by that stream's reporter
     */
    public boolean isFrom(RingSource s) {
        return source.equals(s.label());
    }
}
