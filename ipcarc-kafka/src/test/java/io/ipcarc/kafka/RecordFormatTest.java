package io.ipcarc.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static final RingSource SOURCE = new RingSource("host-1", "/rpt_sys_shm", 2);

    @Test
    void theKeyIsTheSequenceBigEndianAsKafkasLongDeserializerReadsIt() {
        long seq = 0x0102030405060708L;
        byte[] key = RecordFormat.sequenceKey(seq);
        assertThat(key).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        try (LongDeserializer d = new LongDeserializer()) {
            assertThat(d.deserialize("t", key)).isEqualTo(seq);
        }
        assertThat(RecordFormat.u64(RecordFormat.u64(-1L))).isEqualTo(-1L);
        assertThat(RecordFormat.u64(ByteBuffer.allocate(8).putLong(Long.MIN_VALUE).array())).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theHeadersGiveBackRingSourceAndSequence() {
        Headers h = RecordFormat.headers(0xfeedL, SOURCE.headerValue(), 77);
        assertThat(new String(h.lastHeader(RecordFormat.SOURCE_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("host-1:/rpt_sys_shm#2");
        RecordOrigin o = RecordOrigin.of(h);
        assertThat(o).isEqualTo(new RecordOrigin(0xfeedL, "host-1:/rpt_sys_shm#2", 77));
        assertThat(o.isFrom(SOURCE)).isTrue();
        assertThat(o.isFrom(new RingSource("host-2", "/rpt_sys_shm", 2))).isFalse();
    }

    @Test
    void aRecordWithoutTheHeadersHasNoOriginAndAMalformedOneIsAClearError() {
        assertThat(RecordOrigin.of(new RecordHeaders())).isNull();
        Headers bad = RecordFormat.headers(1, SOURCE.headerValue(), 2);
        bad.remove(RecordFormat.SEQ_HEADER);
        bad.add(RecordFormat.SEQ_HEADER, new byte[3]);
        assertThatThrownBy(() -> RecordOrigin.of(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length=3");
    }

    @Test
    void docsGiveTheOnTheWireSizeOfATickRecord() throws IOException {
        int tickValue = 56; // Tick.TYPE.size() of ipcarc-examples (KafkaReporterAppTest checks each record's value has it)
        Header[] headers = RecordFormat.headers(1, new RingSource("host-1", "/rpt_sys_shm", 0).headerValue(), 1).toArray();
        assertThat(new RingSource("host-1", "/rpt_sys_shm", 0).label()).hasSize(21);
        // Inside a batch the offset delta is 0 .. N-1 (N <= 10,000) and the time delta 0 .. about T = 100 ms: varints of 1-2 bytes.
        int smallest = DefaultRecord.sizeInBytes(0, 0, 8, tickValue, headers);
        int largest = DefaultRecord.sizeInBytes(9_999, 127, 8, tickValue, headers);
        int headerBytes = 1; // their count, a 1-byte varint
        for (Header h : headers) {
            headerBytes += 1 + h.key().length() + 1 + h.value().length; // lengths below 64: 1-byte varints
        }
        String doc = Files.readString(Path.of("../docs/kafka.md"));
        assertThat(doc).contains("a record of " + smallest + " to " + largest + " bytes")
                .contains("3 headers of " + headerBytes + " bytes together");
    }

    @Test
    void theTransactionalIdNamesHostRingAndReader() {
        assertThat(SOURCE.transactionalId()).isEqualTo("ipcarc-reporter:host-1:/rpt_sys_shm#2");
        assertThatThrownBy(() -> new RingSource("a:b", "/r", 0)).hasMessageContaining("instance=a:b");
        assertThatThrownBy(() -> new RingSource("h", "/r#1", 0)).hasMessageContaining("ringName=/r#1");
        assertThatThrownBy(() -> new RingSource("h", "/r", -1)).hasMessageContaining("readerId=-1");
    }
}
