package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcOptions.PayloadMode;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ForeignPeers;
import io.ipcarc.testing.Records.Fleet;
import io.ipcarc.testing.Records.Quote;
import io.ipcarc.testing.Records.Side;
import io.ipcarc.testing.Records.Triple;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * C and Python peers and the payload kinds (strings, enums, arrays of records): they decode what
 * Java wrote as Java's {@code ShmLayout.format} does, C writes a record with a string and an enum
 * that Java reads back, and a reader that holds no reference never returns a value no writer
 * committed while the last holder closes the segment under it (the pages after the first are
 * punched to zeros then; the commit word survives): 2,000 rounds per peer.
 */
@Timeout(900)
class ForeignKindsConformanceTest {
    private static final Duration START = ShmSandbox.START;
    private static final int RACE_ROUNDS = Integer.getInteger("ipcarc.test.lastCloseRounds", 2000);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private final String peer = ForeignPeers.executable("gcc", "ipcarc_kinds_peer.c");

    @Test
    void cAndPythonDecodeStringsEnumsAndArraysOfRecordsAsJavaDoes() {
        String fleet = sandbox.name("fleet");
        String quote = sandbox.name("quote");
        try (IpcArc<Fleet> f = IpcArc.create(fleet, Fleet.of(7));
             IpcArc<Quote> q = IpcArc.create(quote, ShmType.of(Quote.class), Quote.of(3),
                     ArcOptions.defaults().withPayloadMode(PayloadMode.RAW))) {
            assertThat(f.read()).isEqualTo(Fleet.of(7));
            for (String name : List.of(fleet, quote)) {
                String java = io.ipcarc.IpcArcs.inspect(name).payload();
                assertThat(ForeignPeers.run(List.of(peer, "show", name), 60)).containsExactly("VALUE " + java);
                assertThat(ForeignPeers.run(ForeignPeers.python("ipcarc.py", "read", name), 60)).containsExactly(java);
            }
            assertThat(ForeignPeers.run(List.of(peer, "show", quote), 60))
                    .containsExactly("VALUE Quote{symbol=\"Ünïcødé€\", side=BUY, price=3, qty=21}");
            assertThat(ForeignPeers.run(List.of(peer, "set-quote", quote, "日本語", "HOLD", "-5", "9"), 60)).contains("SET");
            assertThat(q.read()).isEqualTo(new Quote("日本語", Side.HOLD, -5, 9));
            assertThat(ForeignPeers.run(List.of(peer, "set-quote", quote, "exactly16bytes!!", "SELL", "1", "2"), 60))
                    .contains("SET");
            assertThat(q.read()).isEqualTo(new Quote("exactly16bytes!!", Side.SELL, 1, 2));
            try (var g = q.acquire()) {
                g.buffer().putByte(16, (byte) 9); // an ordinal no constant has: another program's bug
            }
            ChildJvm bad = ChildJvm.command(List.of(peer, "show", quote));
            assertThat(bad.awaitExit(START)).isEqualTo(1);
            assertThat(String.join("\n", bad.lines())).contains("stored enum ordinal out of range", "ordinal=9",
                    "constants=3");
        }
    }

    @Test
    void aCReaderWithoutAReferenceNeverReturnsAValueNoWriterCommittedWhileTheLastHolderCloses() {
        String prefix = sandbox.name("race-c");
        race(ChildJvm.command(List.of(peer, "race", prefix)), prefix);
    }

    @Test
    void aPythonReaderNeverReturnsAValueNoWriterCommittedWhileTheLastHolderCloses() {
        String prefix = sandbox.name("race-py");
        race(ChildJvm.command(ForeignPeers.python("ipcarc_peer.py", "race", prefix)), prefix);
    }

    /** Round r: create PREFIX-r holding (r+1, 2(r+1), 3(r+1)), let the peer read it, close it under the peer's reads. */
    private void race(ChildJvm reader, String prefix) {
        sandbox.add(reader);
        int contended = 0;
        for (int r = 0; r < RACE_ROUNDS; r++) {
            String name = prefix + "-" + r;
            PayloadMode mode = r % 2 == 0 ? PayloadMode.CRASH_ATOMIC : PayloadMode.RAW;
            IpcArc<Triple> arc = IpcArc.create(name, ShmType.of(Triple.class), Triple.of(r + 1),
                    ArcOptions.defaults().withPayloadMode(mode));
            try {
                reader.send("GO " + r);
                String reading = "READING " + r + " go";
                await().atMost(START).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                        .failFast("reader exited: " + reader.lines(), () -> !reader.isAlive())
                        .until(() -> reader.count(reading) > 0);
            } finally {
                arc.close(); // the last close: unlinked, then the pages after the first are punched
            }
            String gone = "GONE " + r + " ";
            await().atMost(START).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .failFast("reader exited: " + reader.lines(), () -> !reader.isAlive())
                    .until(() -> reader.count(gone) > 0);
            String line = reader.lines().stream().filter(l -> l.startsWith(gone)).findFirst().orElseThrow();
            assertThat(line).as("round %d (%s): %s", r, mode, reader.lines().stream().filter(l -> l.startsWith("BAD")).toList())
                    .endsWith(" bad=0");
            long reads = Long.parseLong(line.replaceAll(".* reads=(\\d+) .*", "$1"));
            contended += reads > 1 ? 1 : 0;
        }
        assertThat(contended).as("rounds in which the peer was still reading when the close came").isGreaterThan(RACE_ROUNDS / 2);
        assertThat(io.ipcarc.testing.ShmNames.exists(prefix + "-" + (RACE_ROUNDS - 1))).isFalse();
    }
}
