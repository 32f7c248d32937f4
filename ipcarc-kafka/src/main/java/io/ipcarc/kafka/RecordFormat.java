package io.ipcarc.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a ring entry becomes a Kafka record (documented in docs/kafka.md, "Record format").
 *
 * <ul>
 *   <li>key: the ring sequence as 8 bytes, big-endian ({@link #sequenceKey(long)}; readable with
 *       Kafka's {@code LongDeserializer}), unless the user gives a key function;</li>
 *   <li>value: the entry's bytes as the ring holds them (the layout of its {@code ShmType},
 *       native byte order), unless the user gives an encoder;</li>
 *   <li>headers, always: {@value #RING_HEADER} (the ring id, 8 bytes big-endian),
 *       {@value #SOURCE_HEADER} ({@code INSTANCE:NAME#READER} in UTF-8, see {@link RingSource}) and
 *       {@value #SEQ_HEADER} (the sequence, 8 bytes big-endian).</li>
 * </ul>
 */
public final class RecordFormat {
    /** Header holding the ring id (the identity of one ring's lifetime), 8 bytes big-endian. */
    public static final String RING_HEADER = "ipcarc.ring";
    /** Header holding {@link RingSource#label()} in UTF-8. */
    public static final String SOURCE_HEADER = "ipcarc.src";
    /** Header holding the ring sequence, 8 bytes big-endian. */
    public static final String SEQ_HEADER = "ipcarc.seq";

    private RecordFormat() {
    }

    /**
     * Returns the default record key: {@code seq} as 8 bytes, big-endian.
     *
     * @param seq a ring sequence
     * @return the default record key: {@code seq} as 8 bytes, big-endian
     */
    public static byte[] sequenceKey(long seq) {
        return u64(seq);
    }

    /**
     * The three headers of one record. {@code sourceHeader} is {@link RingSource#headerValue()},
     * computed once per reporter.
     *
     * @param ringId the ring's id
     * @param sourceHeader the source header's value
     * @param seq the entry's sequence
     * @return new headers
     */
    public static Headers headers(long ringId, byte[] sourceHeader, long seq) {
        return new RecordHeaders(new Header[] {
            new RecordHeader(RING_HEADER, u64(ringId)),
            new RecordHeader(SOURCE_HEADER, sourceHeader),
            new RecordHeader(SEQ_HEADER, u64(seq)),
        });
    }

    /**
     * Returns its 8 bytes, big-endian.
     *
     * @param value a long
     * @return its 8 bytes, big-endian
     */
    public static byte[] u64(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }

    /**
     * Returns the long they hold.
     *
     * @param bytes 8 bytes, big-endian
     * @return the long they hold
     * @throws IllegalArgumentException if there are not exactly 8
     */
    public static long u64(byte[] bytes) {
        if (bytes == null || bytes.length != 8) {
            throw new IllegalArgumentException("expected 8 bytes: length=" + (bytes == null ? "null" : bytes.length));
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }
}
