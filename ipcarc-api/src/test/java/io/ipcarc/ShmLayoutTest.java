package io.ipcarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The C layout rules and the descriptor grammar of docs/design.md. */
class ShmLayoutTest {
    record Point(int x, double y) {
    }

    record Sample(byte kind, Point origin, @ShmArray(4) long[] values, boolean flag, char tag, short small) {
    }

    record Packed(byte a, short b, byte c) {
    }

    record NoLength(long[] values) {
    }

    record WithString(String s) {
    }

    @Test
    void shouldLayOutRecordsLikeCStructs() {
        ShmLayout.Struct s = (ShmLayout.Struct) ShmType.of(Sample.class).layout();
        // struct Sample { int8_t kind; struct Point { int32_t x; double y; } origin; int64_t values[4];
        //                 bool flag; uint16_t tag; int16_t small; }  -> offsets 0, 8, 24, 56, 58, 60; size 64
        assertEquals(List.of(0, 8, 24, 56, 58, 60), s.members().stream().map(ShmLayout.Member::offset).toList());
        assertEquals(64, s.size());
        assertEquals(8, s.alignment());
        ShmLayout.Struct p = (ShmLayout.Struct) ShmType.of(Packed.class).layout();
        assertEquals(List.of(0, 2, 4), p.members().stream().map(ShmLayout.Member::offset).toList());
        assertEquals(6, p.size());
    }

    @Test
    void shouldRoundTripDescriptorsThroughTheParser() {
        for (Class<?> c : List.of(Sample.class, Point.class, Long.class, Boolean.class, Character.class)) {
            ShmType<?> t = ShmType.of(c);
            ShmLayout parsed = ShmLayout.parse(t.descriptor());
            assertEquals(t.layout(), parsed);
            assertEquals(t.size(), parsed.size());
        }
        assertEquals("io.ipcarc.ShmLayoutTest$Point{x:i32,y:f64}", ShmType.of(Point.class).descriptor());
        assertEquals("bytes<ipcarc.ring/1>[4096]", ShmType.bytes("ipcarc.ring/1", 4096).descriptor());
        assertEquals(ShmType.bytes(8).layout(), ShmLayout.parse("bytes[8]"));
    }

    @Test
    void shouldGiveDifferentFingerprintsToDifferentTypes() {
        assertTrue(ShmType.of(Long.class).fingerprint() != ShmType.of(Double.class).fingerprint());
        assertEquals(ShmType.of(Long.class), ShmType.of(long.class));
        // FNV-1a 64 of "i64", documented in docs/design.md
        assertEquals(ShmLayout.fingerprint("i64"), ShmType.of(Long.class).fingerprint());
        assertEquals(0xcbf29ce484222325L, ShmLayout.fingerprint(""));
    }

    @Test
    void shouldRejectTypesThatCannotLiveInSharedMemory() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShmType.of(NoLength.class)).getMessage().contains("@ShmArray"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShmType.of(WithString.class)).getMessage().contains("component=s"));
        assertThrows(IllegalArgumentException.class, () -> ShmType.of(String.class));
        assertThrows(IllegalArgumentException.class, () -> ShmLayout.parse("x{a:"));
        assertThrows(IllegalArgumentException.class, () -> ShmLayout.parse("i64 junk"));
    }

    @Test
    void shouldFormatAPayloadFromTheDescriptorAlone() {
        byte[] mem = new byte[16];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(mem).order(java.nio.ByteOrder.nativeOrder());
        bb.putInt(0, 1).putDouble(8, 2.5);
        SharedBuffer view = SharedBuffer.wrap(mem);
        assertEquals("Point{x=1, y=2.5}", ShmLayout.parse(ShmType.of(Point.class).descriptor()).format(view, 0));
        assertEquals(new Point(1, 2.5), ShmType.of(Point.class).read(view, 0));
    }

    enum Side { BUY, SELL }

    record Order(@ShmString(8) String symbol, Side side, @ShmArray(2) Point[] legs, char tag, double price) {
        Order {
            legs = legs.clone();
        }
    }

    @Test
    void shouldDecodeAPayloadToPlainDataFromTheDescriptorAlone() {
        ShmType<Order> type = ShmType.of(Order.class);
        byte[] mem = new byte[type.size()];
        SharedBuffer view = SharedBuffer.wrap(mem);
        type.write(view, 0, new Order("AAPL", Side.SELL, new Point[] {new Point(1, 2.5), new Point(-3, 0)}, 'x', Double.NaN));

        Object tree = ShmLayout.parse(type.descriptor()).toTree(view, 0);

        java.util.Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("symbol", "AAPL");
        expected.put("side", "SELL");
        expected.put("legs", List.of(java.util.Map.of("x", 1, "y", 2.5), java.util.Map.of("x", -3, "y", 0.0)));
        expected.put("tag", "x");
        expected.put("price", Double.NaN);
        assertEquals(expected, tree);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(((java.util.Map<?, ?>) tree).keySet()), "members in declaration order");
    }

    @Test
    void shouldRefuseArrayOfWrongLengthBeforeWritingAnything() {
        byte[] mem = new byte[64];
        SharedBuffer view = SharedBuffer.wrap(mem);
        Sample bad = new Sample((byte) 1, new Point(1, 1), new long[3], true, 'x', (short) 1);
        assertThrows(IllegalArgumentException.class, () -> ShmType.of(Sample.class).write(view, 0, bad));
        assertTrue(java.util.Arrays.equals(mem, new byte[64]), "nothing written");
    }
}
