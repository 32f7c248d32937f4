package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.ShmString;
import io.ipcarc.TypeMismatchException;
import io.ipcarc.testing.ShmSandbox;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The map's operations in one process, against a HashMap as the model. */
class IpcMapBasicsTest {
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    record Position(long quantity, double price) {
    }

    record Account(@ShmString(12) String owner, int branch) {
    }

    @Test
    void shouldPutGetReplaceAndRemoveLikeAHashMap() {
        try (IpcMap<Long, Position> m = IpcMap.create(sandbox.name("basic"), Long.class, Position.class,
                MapOptions.capacity(2000).withStripes(8))) {
            Map<Long, Position> model = new HashMap<>();
            Random r = new Random(7);
            for (int i = 0; i < 50_000; i++) {
                long k = r.nextInt(3000);
                int op = r.nextInt(10);
                if (op < 5) {
                    Position v = new Position(i, i * 0.5);
                    if (model.size() < 2000 || model.containsKey(k)) {
                        assertThat(m.put(k, v)).isEqualTo(model.put(k, v));
                    }
                } else if (op < 8) {
                    assertThat(m.remove(k)).isEqualTo(model.remove(k));
                } else {
                    assertThat(m.get(k)).isEqualTo(model.get(k));
                }
                if (i % 997 == 0) {
                    assertThat(m.size()).isEqualTo(model.size());
                }
            }
            Map<Long, Position> seen = new HashMap<>();
            m.forEach((k, v) -> assertThat(seen.put(k, v)).isNull());
            assertThat(seen).isEqualTo(model);
            assertThat(m.size()).isEqualTo(model.size());
        }
    }

    @Test
    void shouldReportSizeCapacityChangesAndOnlyTheWritesThatWaitedInItsStatistics() throws Exception {
        IpcMap<Long, Long> m = IpcMap.create(sandbox.name("stats"), Long.class, Long.class, MapOptions.capacity(100).withStripes(2));
        try (m) {
            for (long k = 0; k < 10; k++) {
                m.put(k, k);
            }
            m.remove(3L);
            MapStatistics quiet = m.statistics();
            assertThat(quiet).isEqualTo(new MapStatistics(9, 100, 2, 11, 1, 0, 0, 0, 0));

            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread holder = new Thread(() -> m.compute(5L, (k, v) -> {
                holding.countDown();
                awaitQuietly(release);
                return v + 1;
            }));
            holder.start();
            holding.await();
            Thread waiter = new Thread(() -> m.put(5L, 50L));
            waiter.start();
            org.awaitility.Awaitility.await().atMost(ShmSandbox.START).until(() -> java.util.Arrays.stream(waiter.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals("io.ipcarc.posix.ObservedWait"))); // asleep on the stripe lock
            release.countDown();
            holder.join();
            waiter.join();
            MapStatistics contended = m.statistics();
            assertThat(contended.lockWaits()).as("the put that found the stripe busy").isEqualTo(1);
            assertThat(contended.lockWaitTime()).isPositive();
            assertThat(contended.ownerDeaths()).isZero();
            assertThat(contended.repairs()).isZero();
            assertThat(contended.changes()).isEqualTo(13);
            assertThat(m.get(5L)).isEqualTo(50L);
        }
        assertThatThrownBy(m::statistics).isInstanceOf(IllegalStateException.class);
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldKeepStringKeysOfTheirCapacityAndRefuseLongerOnes() {
        try (IpcMap<String, Account> m = IpcMap.create(sandbox.name("strings"), String.class, Account.class,
                MapOptions.capacity(100).withKeyCapacity(16))) {
            assertThat(m.put("AAPL", new Account("ann", 1))).isNull();
            assertThat(m.put("0123456789abcdef", new Account("bob", 2))).isNull();
            assertThat(m.get("AAPL")).isEqualTo(new Account("ann", 1));
            assertThat(m.get("0123456789abcdef")).isEqualTo(new Account("bob", 2));
            assertThat(m.get("AAP")).isNull();
            assertThatThrownBy(() -> m.put("0123456789abcdefg", new Account("x", 3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=16");
            assertThat(m.size()).isEqualTo(2);
        }
    }

    @Test
    void shouldRefuseANewKeyWhenFullAndStillReplaceValues() {
        try (IpcMap<Integer, Long> m = IpcMap.create(sandbox.name("full"), Integer.class, Long.class,
                MapOptions.capacity(10).withStripes(2))) {
            for (int i = 0; i < 10; i++) {
                m.put(i, (long) i);
            }
            assertThatThrownBy(() -> m.put(99, 1L)).isInstanceOf(MapFullException.class)
                    .hasMessageContaining("name=" + m.name()).hasMessageContaining("capacity=10").hasMessageContaining("size=10");
            assertThat(m.put(3, 33L)).isEqualTo(3L);
            assertThat(m.remove(4)).isEqualTo(4L);
            assertThat(m.put(99, 1L)).isNull();
            assertThat(m.size()).isEqualTo(10);
        }
    }

    @Test
    void shouldComputeAndPutIfAbsent() {
        try (IpcMap<Long, Long> m = IpcMap.create(sandbox.name("compute"), Long.class, Long.class, MapOptions.capacity(10))) {
            assertThat(m.putIfAbsent(1L, 10L)).isNull();
            assertThat(m.putIfAbsent(1L, 11L)).isEqualTo(10L);
            assertThat(m.compute(1L, (k, v) -> v + 1)).isEqualTo(11L);
            assertThat(m.compute(2L, (k, v) -> v == null ? 5L : v)).isEqualTo(5L);
            assertThat(m.compute(2L, (k, v) -> null)).isNull();
            assertThat(m.containsKey(2L)).isFalse();
            assertThatThrownBy(() -> m.compute(3L, (k, v) -> m.put(4L, 4L))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a write");
            assertThat(m.size()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseLoadingWithOtherTypes() {
        try (IpcMap<Long, Position> m = IpcMap.create(sandbox.name("types"), Long.class, Position.class,
                MapOptions.capacity(10))) {
            assertThatThrownBy(() -> IpcMap.load(m.name(), Integer.class, Position.class))
                    .isInstanceOf(TypeMismatchException.class).hasMessageContaining("map keys are of another type");
            assertThatThrownBy(() -> IpcMap.load(m.name(), Long.class, Account.class))
                    .isInstanceOf(TypeMismatchException.class).hasMessageContaining("map values are of another type");
            try (IpcMap<Long, Position> again = IpcMap.load(m.name(), Long.class, Position.class)) {
                m.put(1L, new Position(1, 2));
                assertThat(again.get(1L)).isEqualTo(new Position(1, 2));
            }
        }
    }
}
