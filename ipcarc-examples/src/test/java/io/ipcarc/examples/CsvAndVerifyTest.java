package io.ipcarc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.ArcOptions;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedView;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify finds every kind of fault; the CSV output reconciles what a killed reporter left. */
class CsvAndVerifyTest {
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private static final ShmNames NAMES = new ShmNames();
    /** One tick in shared memory, the way a reporter sees an entry; rewritten for each line. */
    private static IpcArc<Tick> tick;

    @BeforeAll
    static void createTick() {
        tick = IpcArc.create(NAMES.next("tick"), Tick.TYPE, Tick.of(0, 0),
                ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW));
    }

    @AfterAll
    static void removeTick() {
        tick.close();
        NAMES.close();
    }

    private static SharedView entry(long seq, long ts) {
        try (Guard<Tick> g = tick.acquire()) {
            g.set(Tick.of(seq, ts));
        }
        return tick.buffer();
    }

    private static String line(long seq, long ts) {
        byte[] b = new byte[Tick.MAX_LINE];
        int n = Tick.formatCsv(entry(seq, ts), seq, b, 0);
        assertThat(n).as("a correct tick checks out").isPositive();
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    private Path file(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, Tick.CSV_HEADER + "\n" + String.join("", lines));
        return p;
    }

    @Test
    void shouldFormatLinesThatVerifyExpects() {
        for (long seq : new long[] {0, 1, 9, 10, 99, 100, 12345, 999_999_999_999L, Long.MAX_VALUE}) {
            for (long ts : new long[] {0, 7, 10, 1_700_000_000_123_456_789L, Long.MAX_VALUE, -5, Long.MIN_VALUE}) {
                assertThat(line(seq, ts)).isEqualTo(Tick.expectedLine(seq, ts) + "\n");
            }
        }
    }

    @Test
    void shouldLayTheTickOutAsTheSeedEntryWithItsStampInOneSlotOf64Bytes() {
        io.ipcarc.ShmLayout.Struct layout = (io.ipcarc.ShmLayout.Struct) Tick.TYPE.layout();
        assertThat(layout.size()).isEqualTo(56);
        assertThat(layout.members()).extracting(io.ipcarc.ShmLayout.Member::offset)
                .containsExactly(Tick.SEQ, Tick.TIMESTAMP, Tick.SYMBOL, Tick.PRICE, Tick.QUANTITY, Tick.CHECKSUM, Tick.RESERVED);
        assertThat(io.ipcarc.ring.RingDescriptor.slotSize(Tick.TYPE.size())).isEqualTo(64);
    }

    @Test
    void shouldCheckTicksWrittenInPlaceAndFindTornOnes() {
        assertThat(Tick.check(entry(12345, 99), 12345)).isNull();
        assertThat(Tick.check(entry(12345, 99), 12346)).isEqualTo("fields do not match seq");
        byte[] b = new byte[Tick.MAX_LINE];
        int bad = Tick.formatCsv(entry(12345, 99), 12346, b, 0);
        assertThat(bad).as("the line is written, the fault signalled").isNegative();
        assertThat(new String(b, 0, ~bad, StandardCharsets.US_ASCII)).startsWith("12346,99,");
        try (Guard<Tick> g = tick.acquire()) {
            Tick t = Tick.of(7, 5);
            g.set(new Tick(t.seq(), t.timestampNs() + 1, t.symbol(), t.price(), t.quantity(), t.checksum(), 0));
        }
        assertThat(Tick.check(tick.buffer(), 7)).isEqualTo("checksum mismatch");
    }

    @Test
    void shouldAcceptCompleteIdenticalFiles() throws IOException {
        Path a = file("a.csv", line(0, 5), line(1, 6), line(2, 7));
        Path b = file("b.csv", line(0, 5), line(1, 6), line(2, 7));
        assertThat(VerifyApp.verify(List.of(a, b), 3, QUIET).ok()).isTrue();
    }

    @Test
    void shouldFindDuplicateTornPartialAndMismatchedLines() throws IOException {
        assertThat(VerifyApp.verify(List.of(file("dup.csv", line(0, 5), line(1, 6), line(1, 6))), -1, QUIET).faults()).isEqualTo(1);
        String torn = line(1, 6).replace("," + Tick.quantity(1) + "\n", "," + (Tick.quantity(1) + 1) + "\n");
        assertThat(VerifyApp.verify(List.of(file("torn.csv", line(0, 5), torn)), -1, QUIET).faults()).isEqualTo(1);
        Path partial = file("partial.csv", line(0, 5), line(1, 6).substring(0, 10));
        assertThat(VerifyApp.verify(List.of(partial), -1, QUIET).ok()).isFalse();
        Path x = file("x.csv", line(0, 5), line(1, 6));
        Path y = file("y.csv", line(0, 5), line(1, 7));
        assertThat(VerifyApp.verify(List.of(x, y), -1, QUIET).faults()).isEqualTo(1);
        assertThat(VerifyApp.verify(List.of(file("gap.csv", line(0, 5), line(2, 6))), 3, QUIET).ok()).isFalse();
        assertThat(VerifyApp.verify(List.of(file("gap2.csv", line(0, 5), line(2, 6))), -1, QUIET).ok()).isTrue();
    }

    @Test
    void shouldCutPartialLastLineAndResumeAfterLastCompleteSeq() throws IOException {
        long ring = 0x1234L;
        try (CsvOutput out = CsvOutput.open(dir, 2, ring, "/r")) {
            assertThat(out.lastSeq()).isEqualTo(-1);
            out.append(entry(0, 5), 0);
            out.append(entry(1, 6), 1);
        }
        Path csv = CsvOutput.csvPath(dir, 2);
        Files.writeString(csv, line(2, 7).substring(0, 12), java.nio.file.StandardOpenOption.APPEND);
        try (CsvOutput out = CsvOutput.open(dir, 2, ring, "/r")) {
            assertThat(out.lastSeq()).isEqualTo(1);
            assertThat(out.movedAside()).isNull();
            out.append(entry(2, 7), 2);
        }
        assertThat(VerifyApp.verify(List.of(csv), 3, QUIET).ok()).isTrue();
    }

    @Test
    void shouldMoveOutputOfAnotherRingAsideAndNeverDeleteIt() throws IOException {
        try (CsvOutput out = CsvOutput.open(dir, 0, 1L, "/r")) {
            out.append(entry(0, 5), 0);
        }
        try (CsvOutput out = CsvOutput.open(dir, 0, 2L, "/r")) {
            assertThat(out.movedAside()).contains("output_0.ring-0000000000000001-");
            assertThat(out.lastSeq()).isEqualTo(-1);
            assertThat(VerifyApp.verify(List.of(Path.of(out.movedAside())), 1, QUIET).ok()).isTrue();
        }
        assertThat(Files.readString(CsvOutput.ringPath(dir, 0))).startsWith("ring=0000000000000002 segment=/r");
    }
}
