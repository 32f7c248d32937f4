package io.ipcarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strings, enums, arrays of records, @ShmName and the field-level mismatch of docs/design.md, in heap memory. */
class ShmTypeKindsTest {
    enum Side { BUY, SELL }

    enum Reordered { SELL, BUY }

    record Quote(@ShmString(8) String symbol, Side side, long price) {
    }

    record Point(int x, double y) {
    }

    record Route(@ShmString(5) String name, @ShmArray(3) Point[] stops, @ShmArray(2) Side[] sides,
                 @ShmArray(2) @ShmString(4) String[] tags) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Route r && r.name.equals(name) && Arrays.equals(r.stops, stops) && Arrays.equals(r.sides, sides)
                    && Arrays.equals(r.tags, tags);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    record Outer(byte b, Route route, @ShmArray(2) Route[] more) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Outer r && r.b == b && r.route.equals(route) && Arrays.equals(r.more, more);
        }

        @Override
        public int hashCode() {
            return b;
        }
    }

    @ShmName("Position")
    record PositionA(long qty, double price) {
    }

    @ShmName("Position")
    record PositionB(long qty, double price) {
    }

    @ShmName("Position")
    record PositionNarrow(int qty, double price) {
    }

    @ShmName("i64")
    record Reserved(long a) {
    }

    private static SharedBuffer memory(int size) {
        return SharedBuffer.wrap(new byte[size]);
    }

    private static <T> T roundTrip(ShmType<T> t, T value) {
        SharedBuffer b = memory(t.size() + 16);
        t.write(b, 8, value);
        return t.read(b, 8);
    }

    @Test
    void stringsRoundTripAsciiMultiByteEmptyAndExactlyAtCapacity() {
        ShmType<Quote> t = ShmType.of(Quote.class);
        assertThat(t.descriptor()).isEqualTo("io.ipcarc.ShmTypeKindsTest$Quote{symbol:utf8[8],"
                + "side:io.ipcarc.ShmTypeKindsTest$Side(BUY,SELL),price:i64}");
        assertThat(t.size()).isEqualTo(24);
        for (String s : List.of("AAPL", "", "12345678", "é€", "日本", "😀😀", "a😀é", "€€a", "ab日本")) {
            assertThat(roundTrip(t, new Quote(s, Side.SELL, 7)).symbol()).isEqualTo(s);
        }
    }

    @Test
    void aStringOneByteOverItsCapacityIsRefusedNamingComponentCapacityAndLengthBeforeAnyWrite() {
        ShmType<Quote> t = ShmType.of(Quote.class);
        SharedBuffer b = memory(24);
        for (String s : List.of("123456789", "1234567é", "日本語")) {
            assertThatThrownBy(() -> t.write(b, 0, new Quote(s, Side.BUY, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("component=symbol").hasMessageContaining("capacity=8")
                    .hasMessageContaining("length=9");
        }
        assertThatThrownBy(() -> t.write(b, 0, new Quote(null, Side.BUY, 1))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("component=symbol");
        assertThatThrownBy(() -> t.write(b, 0, new Quote("a\0b", Side.BUY, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000");
        assertThatThrownBy(() -> t.write(b, 0, new Quote("a\ud800", Side.BUY, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
        assertThatThrownBy(() -> t.write(b, 0, new Quote("x", null, 1))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("component=side");
        byte[] all = new byte[24];
        b.getBytes(0, all, 0, 24);
        assertThat(all).containsOnly(0);
    }

    @Test
    void aStringIsItsUtf8BytesNulPaddedLikeACharArray() {
        ShmType<Quote> t = ShmType.of(Quote.class);
        SharedBuffer b = memory(24);
        b.setMemory(0, 24, (byte) 0x55);
        t.write(b, 0, new Quote("é", Side.SELL, 0x0102));
        byte[] raw = new byte[24];
        b.getBytes(0, raw, 0, 24);
        // struct Quote { char symbol[8]; uint8_t side; int64_t price; }: 0, 8, 16
        assertThat(Arrays.copyOf(raw, 9)).containsExactly(0xc3, 0xa9, 0, 0, 0, 0, 0, 0, 1);
        assertThat(b.getLong(16)).isEqualTo(0x0102);
    }

    @Test
    void enumsAreStoredAsOrdinalsAndAnOutOfRangeOrdinalIsACorruptSegment() {
        ShmType<Side> t = ShmType.of(Side.class);
        assertThat(t.descriptor()).isEqualTo("io.ipcarc.ShmTypeKindsTest$Side(BUY,SELL)");
        assertThat(t.size()).isEqualTo(1);
        assertThat(roundTrip(t, Side.SELL)).isEqualTo(Side.SELL);
        SharedBuffer b = memory(16);
        b.putByte(0, (byte) 2);
        assertThatThrownBy(() -> t.read(b, 0)).isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("ordinal=2").hasMessageContaining("constants=2");
        b.putByte(8, (byte) 0xff);
        assertThatThrownBy(() -> ShmType.of(Quote.class).read(b, 0)).isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("component=side").hasMessageContaining("ordinal=255");
        assertThat(ShmType.ofValue(Side.BUY)).isSameAs(t);
    }

    @Test
    void arraysOfRecordsEnumsAndStringsNestAsDeepAsRecords() {
        ShmType<Outer> t = ShmType.of(Outer.class);
        ShmLayout.Struct s = (ShmLayout.Struct) t.layout();
        // struct Route { char name[5]; struct Point stops[3]; uint8_t sides[2]; char tags[2][4]; } : 0, 8, 56, 58; size 72
        ShmLayout.Struct route = (ShmLayout.Struct) s.members().get(1).layout();
        assertThat(route.members().stream().map(ShmLayout.Member::offset).toList()).containsExactly(0, 8, 56, 58);
        assertThat(route.size()).isEqualTo(72);
        assertThat(s.members().stream().map(ShmLayout.Member::offset).toList()).containsExactly(0, 8, 80);
        assertThat(t.size()).isEqualTo(224);
        assertThat(ShmLayout.parse(t.descriptor())).isEqualTo(t.layout());
        Route r = new Route("r1", new Point[] {new Point(1, 1.5), new Point(2, 2.5), new Point(3, 3.5)},
                new Side[] {Side.SELL, Side.BUY}, new String[] {"ab", "cdé"});
        Route r2 = new Route("", new Point[] {new Point(-1, 0), new Point(0, 0), new Point(9, 9)},
                new Side[] {Side.BUY, Side.BUY}, new String[] {"", "wxyz"});
        Outer o = new Outer((byte) 3, r, new Route[] {r2, r});
        assertThat(roundTrip(t, o)).isEqualTo(o);
        SharedBuffer b = memory(t.size());
        Outer bad = new Outer((byte) 3, r, new Route[] {r2, new Route("toolong", r.stops(), r.sides(), r.tags())});
        assertThatThrownBy(() -> t.write(b, 0, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("component=name").hasMessageContaining("capacity=5");
        assertThatThrownBy(() -> t.write(b, 0, new Outer((byte) 1, r, new Route[] {r2, null})))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("component=more").hasMessageContaining("index=1");
        byte[] all = new byte[t.size()];
        b.getBytes(0, all, 0, all.length);
        assertThat(all).containsOnly(0);
        t.write(b, 0, o);
        assertThat(ShmLayout.parse(t.descriptor()).format(b, 0)).startsWith(
                "Outer{b=3, route=Route{name=\"r1\", stops=[Point{x=1, y=1.5}, Point{x=2, y=2.5}, Point{x=3, y=3.5}],"
                        + " sides=[SELL, BUY], tags=[\"ab\", \"cdé\"]}");
    }

    @Test
    void shmNameSetsTheDescriptorNameSoTwoRecordsAgree() {
        assertThat(ShmType.of(PositionA.class).descriptor()).isEqualTo("Position{qty:i64,price:f64}");
        assertThat(ShmType.of(PositionA.class).fingerprint()).isEqualTo(ShmType.of(PositionB.class).fingerprint());
        assertThat(ShmType.of(Point.class).descriptor()).startsWith("io.ipcarc.ShmTypeKindsTest$Point{");
        assertThatThrownBy(() -> ShmType.of(Reserved.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@ShmName").hasMessageContaining("name=i64");
    }

    @Test
    void theMismatchShowsTheFirstDifferenceAtFieldLevel() {
        assertThat(ShmLayout.difference(ShmType.of(PositionA.class).layout(), ShmType.of(PositionNarrow.class).descriptor()))
                .isEqualTo("field qty: expected i64, found i32");
        assertThat(ShmLayout.difference(ShmType.of(Side.class).layout(), ShmType.of(Reordered.class).layout()))
                .isEqualTo("enum name: expected io.ipcarc.ShmTypeKindsTest$Side, found io.ipcarc.ShmTypeKindsTest$Reordered");
        assertThat(ShmLayout.difference(ShmLayout.parse("Q{side:S(BUY,SELL)}"), "Q{side:S(SELL,BUY)}"))
                .isEqualTo("field side: enum S constant 0: expected BUY, found SELL");
        assertThat(ShmLayout.difference(ShmLayout.parse("Q{side:S(BUY,SELL)}"), "Q{side:S(BUY,SELL,HOLD)}"))
                .isEqualTo("field side: enum S constant 2: expected none, found HOLD");
        assertThat(ShmLayout.difference(ShmLayout.parse("Q{s:utf8[8],p:i64}"), "Q{s:utf8[16],p:i64}"))
                .isEqualTo("field s: expected utf8[8], found utf8[16]");
        assertThat(ShmLayout.difference(ShmLayout.parse("Q{o:P{x:i32},p:i64}"), "Q{o:P{x:i64},p:i64}"))
                .isEqualTo("field o.x: expected i32, found i64");
        assertThat(ShmLayout.difference(ShmLayout.parse("Q{a:i64}"), "R{a:i64}")).isEqualTo("type name: expected Q, found R");
        assertThat(ShmLayout.difference(ShmLayout.parse("Q{a:i64}"), "Q{a:i64,b:i8}")).isEqualTo("field b: expected none, found i8");
        assertThat(ShmLayout.difference(ShmLayout.parse("i32"), "i64")).isEqualTo("expected i32, found i64");
        assertThat(ShmLayout.difference(ShmLayout.parse("i32"), "i32")).isNull();
        assertThat(ShmLayout.difference(ShmLayout.parse("i32"), "{{")).startsWith("expected i32, found an unreadable descriptor");
    }

    @Test
    void stringFieldsCompareAndCopyWithoutAString() {
        ShmType<Quote> t = ShmType.of(Quote.class);
        SharedBuffer b = memory(24);
        StringField f = t.stringField("symbol");
        assertThat(f.capacity()).isEqualTo(8);
        for (String s : List.of("AAPL", "", "12345678", "日本")) {
            t.write(b, 0, new Quote(s, Side.BUY, 1));
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] dst = new byte[10];
            assertThat(f.length(b)).isEqualTo(utf8.length);
            assertThat(f.copyTo(b, dst, 1)).isEqualTo(utf8.length);
            assertThat(Arrays.copyOfRange(dst, 1, 1 + utf8.length)).isEqualTo(utf8);
            assertThat(f.contentEquals(b, utf8)).isTrue();
            assertThat(f.contentEquals(b, s)).isTrue();
            assertThat(f.contentEquals(b, s + "x")).isFalse();
            assertThat(f.contentEquals(b, "Z" + s)).isFalse();
            assertThat(f.read(b)).isEqualTo(s);
        }
        assertThat(t.stringField("symbol")).isSameAs(f);
        assertThatThrownBy(() -> t.stringField("price")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a string field");
        assertThatThrownBy(() -> t.stringField("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such field");
        assertThat(ShmType.of(Outer.class).stringField("route.name").offset()).isEqualTo(8);
    }

    @Test
    void fuzzedStoredBytesNeverCrashAReaderOnlyAClearException() {
        ShmType<Outer> t = ShmType.of(Outer.class);
        Random rnd = new Random(21);
        SharedBuffer b = memory(t.size());
        int corrupt = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[t.size()];
            rnd.nextBytes(junk);
            if (i % 2 == 0) {
                for (int k = 0; k < junk.length; k++) {
                    junk[k] &= 0x7f;
                }
            }
            b.putBytes(0, junk, 0, junk.length);
            try {
                t.read(b, 0);
                ShmLayout.parse(t.descriptor()).format(b, 0);
            } catch (CorruptSegmentException e) {
                assertThat(e.getMessage()).containsAnyOf("ordinal", "not UTF-8");
                corrupt++;
            }
        }
        assertThat(corrupt).isGreaterThan(1000);
    }

    @Test
    void aStringPayloadRoundTrips() {
        ShmType<String> t = ShmType.string(12);
        assertThat(t.descriptor()).isEqualTo("utf8[12]");
        assertThat(roundTrip(t, "héllo")).isEqualTo("héllo");
        assertThat(ShmType.forDescriptor("utf8[12]", getClass().getClassLoader())).isEqualTo(t);
        assertThat(ShmType.forDescriptor(ShmType.of(Side.class).descriptor(), getClass().getClassLoader()))
                .isSameAs(ShmType.of(Side.class));
    }
}
