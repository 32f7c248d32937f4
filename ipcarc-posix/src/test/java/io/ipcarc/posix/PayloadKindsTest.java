package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcOptions.PayloadMode;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import io.ipcarc.StringField;
import io.ipcarc.TypeMismatchException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.Records.Fleet;
import io.ipcarc.testing.Records.Position;
import io.ipcarc.testing.Records.Quote;
import io.ipcarc.testing.Records.Side;
import io.ipcarc.testing.ShmSandbox;
import io.ipcarc.testing.other.Copies;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Strings, enums, arrays of records and {@code @ShmName} in real segments: between two JVMs in
 * both payload modes, the type checks with their field-level messages, crash-atomicity of string
 * fields with a holder killed mid-{@code set}, and damaged stored values.
 */
@Timeout(600)
class PayloadKindsTest {
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private static ArcOptions mode(PayloadMode mode) {
        return ArcOptions.defaults().withPayloadMode(mode);
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"RAW", "CRASH_ATOMIC"})
    void stringsEnumsAndArraysOfRecordsRoundTripBetweenTwoJvms(PayloadMode payloadMode) {
        String name = sandbox.name("fleet");
        try (IpcArc<Fleet> arc = IpcArc.create(name, ShmType.of(Fleet.class), Fleet.of(1), mode(payloadMode))) {
            assertThat(arc.payloadMode()).isEqualTo(payloadMode);
            assertThat(arc.read()).isEqualTo(Fleet.of(1));
            ChildJvm child = sandbox.start("fleet-read-set", name);
            assertThat(child.awaitLine("READ ", ShmSandbox.START)).as(child.lines().toString()).startsWith("READ true true");
            child.awaitLine("DONE", ShmSandbox.START);
            assertThat(arc.read()).isEqualTo(Fleet.of(2));
            try (Guard<Fleet> g = arc.acquire()) {
                assertThat(g.get()).isEqualTo(Fleet.of(2));
            }
            assertThat(IpcArcs.inspect(name).payload()).startsWith("Fleet{name=\"fleet-é2\", stops=[Point{x=2, y=2.5}, ")
                    .contains("quotes=[Quote{symbol=\"exactly16bytes!!\", side=HOLD, price=2, qty=14}, Quote{symbol=\"a😀b\"")
                    .contains("sides=[HOLD, HOLD], tags=[\"t2\", \"€\"]}");
        }
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"RAW", "CRASH_ATOMIC"})
    void aStringOneByteOverItsCapacityIsRefusedAndTheValueStays(PayloadMode payloadMode) {
        String name = sandbox.name("quote");
        try (IpcArc<Quote> arc = IpcArc.create(name, ShmType.of(Quote.class), Quote.of(2), mode(payloadMode))) {
            try (Guard<Quote> g = arc.acquire()) {
                g.set(new Quote("exactly16bytes!!", Side.SELL, 1, 2));
                assertThatThrownBy(() -> g.set(new Quote("seventeen bytes!!", Side.SELL, 1, 2)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("component=symbol")
                        .hasMessageContaining("capacity=16").hasMessageContaining("length=17");
                assertThatThrownBy(() -> g.set(new Quote("ÜÜÜÜÜÜÜÜé", Side.SELL, 1, 2)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=18");
                assertThat(g.get()).isEqualTo(new Quote("exactly16bytes!!", Side.SELL, 1, 2));
            }
            assertThat(arc.read()).isEqualTo(new Quote("exactly16bytes!!", Side.SELL, 1, 2));
            try (Guard<Quote> g = arc.acquire()) {
                g.set(new Quote("", Side.BUY, 0, 0));
            }
            assertThat(arc.read().symbol()).isEmpty();
        }
    }

    @Test
    void typeChecksNameTheFirstDifferenceAndShmNameAgreesAcrossPackagesAndJvms() {
        String name = sandbox.name("position");
        try (IpcArc<Position> arc = IpcArc.create(name, new Position("ÄPFEL", 42, Side.SELL))) {
            assertThat(arc.type().descriptor()).isEqualTo("Position{symbol:utf8[8],qty:i64,side:Side(BUY,SELL,HOLD)}");
            try (IpcArc<Copies.Position> copy = IpcArc.load(name, Copies.Position.class)) {
                assertThat(copy.read()).isEqualTo(new Copies.Position("ÄPFEL", 42, Copies.Side.SELL));
            }
            ChildJvm child = sandbox.start("position-read", name);
            assertThat(child.awaitLine("POSITION", ShmSandbox.START)).isEqualTo("POSITION ÄPFEL 42 SELL");
            assertThatThrownBy(() -> IpcArc.load(name, Copies.ReorderedPosition.class))
                    .isInstanceOf(TypeMismatchException.class).hasMessageContaining("name=" + name)
                    .hasMessageContaining("field side: enum Side constant 0: expected SELL, found BUY");
            assertThatThrownBy(() -> IpcArc.load(name, Copies.WidePosition.class))
                    .isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("field symbol: expected utf8[16], found utf8[8]");
            assertThatThrownBy(() -> IpcArc.load(name, Copies.NarrowPosition.class))
                    .isInstanceOf(TypeMismatchException.class).hasMessageContaining("field qty: expected i32, found i64")
                    .satisfies(e -> assertThat(((TypeMismatchException) e).found()).isEqualTo(arc.type().descriptor()));
            assertThat(arc.refCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"RAW", "CRASH_ATOMIC"})
    void aDamagedOrdinalOrStringIsACorruptSegmentNamingItNeverACrash(PayloadMode payloadMode) {
        String name = sandbox.name("damaged");
        ShmType<Quote> type = ShmType.of(Quote.class);
        try (IpcArc<Quote> arc = IpcArc.create(name, type, Quote.of(0), mode(payloadMode))) {
            Random rnd = new Random(21);
            int corrupt = 0;
            for (int i = 0; i < 3000; i++) {
                try (Guard<Quote> g = arc.acquire()) {
                    SharedBuffer b = g.buffer();
                    if (i % 3 == 0) {
                        b.putByte(16, (byte) (3 + rnd.nextInt(253)));             // ordinal out of range
                    } else {
                        b.putByte(rnd.nextInt(16), (byte) (0x80 | rnd.nextInt(128))); // a stray UTF-8 continuation or lead
                    }
                }
                try {
                    Quote q = arc.read();
                    assertThat(q.symbol().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(16);
                } catch (CorruptSegmentException e) {
                    assertThat(e.segment()).isEqualTo(name);
                    assertThat(e.getMessage()).contains("name=" + name).containsAnyOf("ordinal", "not UTF-8");
                    corrupt++;
                }
                try (Guard<Quote> g = arc.acquire()) {
                    try {
                        g.get();
                    } catch (CorruptSegmentException e) {
                        assertThat(e.segment()).isEqualTo(name);
                    }
                    g.set(Quote.of(i));
                }
            }
            assertThat(corrupt).isGreaterThan(1000);
        }
    }

    @Test
    void stringFieldsOfASharedBufferAreReadWithoutAString() {
        String name = sandbox.name("field");
        try (IpcArc<Quote> arc = IpcArc.create(name, ShmType.of(Quote.class), Quote.of(3), mode(PayloadMode.RAW))) {
            StringField f = arc.type().stringField("symbol");
            byte[] dst = new byte[16];
            int n = f.copyTo(arc.buffer(), dst, 0);
            assertThat(new String(dst, 0, n, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Ünïcødé€");
            assertThat(f.contentEquals(arc.buffer(), "Ünïcødé€")).isTrue();
        }
    }

    /**
     * A holder killed while it rewrites a string field (strings of every length and shape, 16 x
     * 1000 set() calls per guard) leaves the last committed quote whole: its string matches its
     * other fields. 20 rounds.
     */
    @Test
    void aHolderKilledMidSetLeavesTheOldStringWhole() {
        String name = sandbox.name("quote-crash");
        try (IpcArc<Quote> arc = IpcArc.create(name, Quote.of(0))) {
            assertThat(arc.payloadMode()).isEqualTo(PayloadMode.CRASH_ATOMIC);
            Random random = new Random();
            for (int round = 0; round < 20; round++) {
                ChildJvm writer = sandbox.start("quote-commit-loop", name);
                int commits = 1 + random.nextInt(10);
                await().atMost(ShmSandbox.START).pollInterval(Duration.ofMillis(1))
                        .failFast("writer exited: " + writer.lines(), () -> !writer.isAlive())
                        .until(() -> writer.count("COMMITTED") >= commits);
                writer.kill();
                writer.awaitExit(ShmSandbox.START);
                long last = writer.lines().stream().filter(l -> l.startsWith("COMMITTED "))
                        .mapToLong(l -> Long.parseLong(l.substring(10))).max().orElseThrow();
                Quote q = arc.read();
                assertThat(q.consistent()).as("round " + round + ": " + q).isTrue();
                assertThat(q.price()).as("round " + round).isIn(last * 1000, (last + 1) * 1000);
                try (Guard<Quote> g = arc.acquire()) {
                    assertThat(g.get()).isEqualTo(q);
                }
            }
        }
    }
}
