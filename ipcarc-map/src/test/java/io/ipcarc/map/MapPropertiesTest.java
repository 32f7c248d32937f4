package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.TOMBSTONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.ShmArray;
import io.ipcarc.ShmString;
import io.ipcarc.ShmType;
import io.ipcarc.testing.ShmNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based round trips: random operations on maps of every kind of key (and values of
 * every payload kind) give what a {@code HashMap} gives; forced hash collisions, a full map,
 * removal and reinsertion of the same key, and tombstones reused; every map checked consistent.
 */
class MapPropertiesTest {
    private static final ShmNames NAMES = new ShmNames();

    enum Side { BUY, SELL, HOLD }

    record Account(@ShmString(8) String owner, int branch, long number) {
    }

    record Quote(@ShmString(6) String symbol, Side side, @ShmArray(3) long[] levels) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Quote q && q.symbol.equals(symbol) && q.side == side && Arrays.equals(q.levels, levels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(symbol, side, Arrays.hashCode(levels));
        }
    }

    /** One operation of a random program: 0 put, 1 remove, 2 compute (store), 3 compute (remove), 4 get. */
    record Op(int kind, int key, int value) {
    }

    @AfterContainer
    static void cleanUp() {
        NAMES.close();
    }

    @Provide
    Arbitrary<List<Op>> program() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 1000)).as(Op::new).list().ofMinSize(1).ofMaxSize(300);
    }

    /** Runs a program on a map and on a HashMap, keys and values made from ints, and compares every answer. */
    private static <K, V> void run(List<Op> program, ShmType<K> keyType, ShmType<V> valueType, Function<Integer, K> key,
                                   Function<Integer, V> value, MapOptions options) {
        try (IpcMap<K, V> m = IpcMap.create(NAMES.next("prop"), keyType, valueType, options)) {
            Map<K, V> model = new HashMap<>();
            for (Op op : program) {
                K k = key.apply(op.key());
                V v = value.apply(op.value());
                switch (op.kind()) {
                    case 0 -> assertThat(m.put(k, v)).isEqualTo(model.put(k, v));
                    case 1 -> assertThat(m.remove(k)).isEqualTo(model.remove(k));
                    case 2 -> assertThat(m.compute(k, (kk, old) -> v)).isEqualTo(model.compute(k, (kk, old) -> v));
                    case 3 -> assertThat(m.compute(k, (kk, old) -> null)).isEqualTo(model.compute(k, (kk, old) -> null));
                    default -> assertThat(m.get(k)).isEqualTo(model.get(k));
                }
            }
            Map<K, V> seen = new HashMap<>();
            m.forEach(seen::put);
            assertThat(seen).isEqualTo(model);
            assertThat(m.size()).isEqualTo(model.size());
            assertThat(m.check()).isEmpty();
        }
    }

    private static MapOptions small() {
        return MapOptions.capacity(64).withStripes(4);
    }

    @Property(tries = 100)
    void longKeysAndRecordValuesRoundTrip(@ForAll("program") List<Op> program) {
        run(program, ShmType.of(Long.class), ShmType.of(Account.class), i -> (long) i * 0x9E3779B97F4A7C15L,
                i -> new Account("o" + i, i, -i), small());
    }

    @Property(tries = 100)
    void integerKeysAndDoubleValuesRoundTrip(@ForAll("program") List<Op> program) {
        run(program, ShmType.of(Integer.class), ShmType.of(Double.class), i -> -i, i -> i / 3.0, small());
    }

    @Property(tries = 100)
    void stringKeysOfEveryLengthRoundTrip(@ForAll("program") List<Op> program) {
        String[] words = {"", "a", "é", "日本", "𝄞", "AAPL", "0123456789ab", "x\u00ff\u0100"};
        run(program, ShmType.string(16), ShmType.of(Long.class), i -> words[i % words.length] + (i / words.length),
                i -> (long) i, small());
    }

    @Property(tries = 100)
    void recordKeysAndRecordValuesWithStringsEnumsAndArraysRoundTrip(@ForAll("program") List<Op> program) {
        run(program, ShmType.of(Account.class), ShmType.of(Quote.class), i -> new Account("k" + (i % 7), i % 3, i),
                i -> new Quote("S" + i, Side.values()[i % 3], new long[] {i, -i, 2L * i}), small());
    }

    @Property(tries = 50)
    void enumKeysAndStringValuesRoundTrip(@ForAll("program") List<Op> program) {
        run(program, ShmType.of(Side.class), ShmType.string(5), i -> Side.values()[i % 3], i -> "v" + (i % 999), small());
    }

    @Property(tries = 50)
    void byteArrayValuesRoundTrip(@ForAll("program") List<Op> program) {
        try (IpcMap<Long, byte[]> m = IpcMap.create(NAMES.next("bytes"), Long.class, byte[].class,
                MapOptions.capacity(64).withValueCapacity(16))) {
            Map<Long, String> model = new HashMap<>();
            for (Op op : program) {
                byte[] v = new byte[16];
                Arrays.fill(v, (byte) op.value());
                if (op.kind() == 1) {
                    m.remove((long) op.key());
                    model.remove((long) op.key());
                } else {
                    m.put((long) op.key(), v);
                    model.put((long) op.key(), Arrays.toString(v));
                }
            }
            for (Map.Entry<Long, String> e : model.entrySet()) {
                byte[] into = new byte[16];
                assertThat(m.get(e.getKey(), into)).isTrue();
                assertThat(Arrays.toString(into)).isEqualTo(e.getValue());
            }
            assertThat(m.check()).isEmpty();
        }
    }

    /** Keys that all share one home slot: every probe walks one cluster, removals shift it. */
    @Property(tries = 100)
    void collidingKeysRoundTrip(@ForAll("program") List<Op> program) {
        try (IpcMap<Long, Long> probe = IpcMap.create(NAMES.next("collide"), Long.class, Long.class, small())) {
            long[] colliding = Collisions.sameHome(probe.store(), 41, 0);
            probe.close();
            run(program, ShmType.of(Long.class), ShmType.of(Long.class), i -> colliding[i], i -> (long) i, small());
        }
    }

    @Property(tries = 50)
    void aFullMapRefusesANewKeyAndChangesNothing(@ForAll @IntRange(min = 1, max = 80) int capacity) {
        try (IpcMap<Integer, Integer> m = IpcMap.create(NAMES.next("full"), Integer.class, Integer.class,
                MapOptions.capacity(capacity))) {
            for (int i = 0; i < capacity; i++) {
                m.put(i, i);
            }
            assertThatThrownBy(() -> m.put(-1, 0)).isInstanceOf(MapFullException.class)
                    .hasMessageContaining("capacity=" + capacity).hasMessageContaining("size=" + capacity);
            assertThat(m.size()).isEqualTo(capacity);
            assertThat(m.get(-1)).isNull();
            assertThat(m.put(0, 7)).isEqualTo(0);
            assertThat(m.remove(capacity - 1)).isEqualTo(capacity == 1 ? 7 : capacity - 1);
            assertThat(m.put(-1, 5)).isNull();
            assertThatThrownBy(() -> m.putIfAbsent(-2, 0)).isInstanceOf(MapFullException.class);
            assertThat(m.check()).isEmpty();
        }
    }

    @Property(tries = 50)
    void aKeyRemovedAndReinsertedOverAndOverKeepsItsLastValue(@ForAll @IntRange(min = 1, max = 500) int rounds) {
        try (IpcMap<Long, Long> m = IpcMap.create(NAMES.next("again"), Long.class, Long.class, MapOptions.capacity(4))) {
            m.put(1L, 1L);
            m.put(2L, 2L);
            for (long i = 0; i < rounds; i++) {
                assertThat(m.remove(7L)).isEqualTo(i == 0 ? null : i - 1);
                assertThat(m.get(7L)).isNull();
                assertThat(m.put(7L, i)).isNull();
            }
            assertThat(m.get(7L)).isEqualTo(rounds - 1L);
            assertThat(m.size()).isEqualTo(3);
            assertThat(m.check()).isEmpty();
        }
    }

    /** A removal that ends at a stripe's last slot before a busy slot leaves a tombstone; an insert takes it back. */
    @Property(tries = 50)
    void tombstonesAtStripeEndsAreReused(@ForAll @IntRange(min = 0, max = 1000) int seed) {
        try (IpcMap<Long, Long> m = IpcMap.create(NAMES.next("tomb"), Long.class, Long.class, MapOptions.capacity(24)
                .withStripes(2))) {
            MapStore<Long, Long> s = m.store();
            int last = s.stripeSlots - 1;
            List<Long> atEnd = new ArrayList<>();
            for (long k = seed * 100_000L; atEnd.size() < 3; k++) {
                if (Collisions.homeOf(s, k) == last) {
                    atEnd.add(k); // the first at the stripe's last slot, the next ones in stripe 1
                }
            }
            for (long k : atEnd) {
                m.put(k, k);
            }
            m.remove(atEnd.get(0)); // the last slot: its cluster goes on in stripe 1, so a tombstone
            assertThat(tombstones(s)).isEqualTo(1);
            assertThat(m.get(atEnd.get(1))).isEqualTo(atEnd.get(1));
            m.put(atEnd.get(0), -1L); // probes from the same home: takes the tombstone back
            assertThat(tombstones(s)).isZero();
            assertThat(m.get(atEnd.get(0))).isEqualTo(-1L);
            assertThat(m.check()).isEmpty();
        }
    }

    private static int tombstones(MapStore<?, ?> s) {
        int n = 0;
        for (int p = 0; p < s.indexSlots; p++) {
            if (s.buf.getInt(s.indexAt(p)) == TOMBSTONE) {
                n++;
            }
        }
        return n;
    }
}
