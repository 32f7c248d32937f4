package io.ipcarc.posix;

import io.ipcarc.ArcOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import io.ipcarc.testing.ShmNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Open, use, close: refcounts, unlinking, and that nothing touches memory after close. */
@Timeout(60)
class LifecycleTest {
    /** Lock-free structures in the payload need the single copy of a raw payload. */
    private static final ArcOptions RAW = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldCountHandlesAndUnlinkOnLastClose() {
        String name = names.next("life");
        IpcArc<Long> a = IpcArc.create(name, 77L);
        assertThat(a.created()).isTrue();
        IpcArc<Long> b = IpcArc.load(name, Long.class);
        IpcArc<Long> c = IpcArc.load(name);
        assertThat(b.created()).isFalse();
        assertThat(a.refCount()).isEqualTo(3);
        try (Guard<Long> g = b.acquire()) {
            g.set(g.get() + 1);
        }
        assertThat(c.read()).isEqualTo(78L);
        a.close();
        a.close();
        assertThat(b.refCount()).isEqualTo(2);
        assertThat(ShmNames.exists(name)).isTrue();
        b.close();
        c.close();
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldThrowIllegalStateAfterClose() {
        IpcArc<Long> a = IpcArc.create(names.next("closed"), ShmType.of(Long.class), 1L, RAW);
        SharedBuffer buf = a.buffer();
        a.close();
        assertThat(a.isOpen()).isFalse();
        assertThatThrownBy(a::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(a::tryAcquire).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(a::read).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(a::refCount).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(a::buffer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> buf.getLong(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining(a.name());
        assertThatThrownBy(() -> buf.putLongRelease(0, 1)).isInstanceOf(IllegalStateException.class);
        assertThat(buf.isOpen()).isFalse();
        assertThat(a.name()).startsWith("/");
    }

    @Test
    void shouldRefuseToCloseWhileAGuardIsHeld() {
        String name = names.next("busy");
        IpcArc<Long> a = IpcArc.create(name, 1L);
        Guard<Long> g = a.acquire();
        assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        assertThat(a.isOpen()).isTrue();
        g.set(2L);
        g.close();
        assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> g.buffer()).isInstanceOf(IllegalStateException.class);
        assertThat(a.read()).isEqualTo(2L);
        a.close();
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldInvalidateGuardBufferWhenGuardCloses() {
        try (IpcArc<byte[]> a = IpcArc.create(names.next("gbuf"), ShmType.bytes(64), null, RAW)) {
            SharedBuffer view;
            try (Guard<byte[]> g = a.acquire()) {
                view = g.buffer();
                view.putLong(8, 99L);
            }
            SharedBuffer closedView = view;
            assertThatThrownBy(() -> closedView.getLong(8))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("guard is closed");
            assertThat(a.buffer().getLong(8)).isEqualTo(99L);
        }
    }

    @Test
    void shouldNotCrashWhenThreadsRaceWithClose() throws Exception {
        for (int round = 0; round < 20; round++) {
            IpcArc<byte[]> a = IpcArc.create(names.next("race"), ShmType.bytes(4096), null, RAW);
            SharedBuffer buf = a.buffer();
            AtomicLong ok = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    // run until close() refuses us (bounded by time, in case it never comes)
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    for (int i = 0; System.nanoTime() < deadline; i++) {
                        try {
                            buf.getAndAddLong((i % 512) * 8, 1);
                            ok.incrementAndGet();
                        } catch (IllegalStateException e) {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                });
                th.start();
                readers.add(th);
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> ok.get() > 10_000);
            a.close(); // while both threads are hammering the mapping
            for (Thread th : readers) {
                th.join(90_000);
            }
            assertThat(refused.get()).as("each thread was stopped by the closed check, the JVM survived").isEqualTo(2);
        }
    }

    @Test
    void shouldCheckBoundsAndAlignmentOfTheZeroCopyView() {
        try (IpcArc<byte[]> a = IpcArc.create(names.next("bounds"), ShmType.bytes(100), null, RAW)) {
            SharedBuffer b = a.buffer();
            assertThat(b.capacity()).isEqualTo(100);
            b.putLong(92, 1L);
            assertThatThrownBy(() -> b.putLong(93, 1L)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> b.getByte(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> b.getLongAcquire(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("misaligned");
            assertThat(b.compareAndSetLong(0, 0, 5)).isTrue();
            assertThat(b.compareAndSetLong(0, 0, 6)).isFalse();
            assertThat(b.getAndAddLong(0, 10)).isEqualTo(5);
            assertThat(b.getLongAcquire(0)).isEqualTo(15);
            assertThat(b.getAndAddInt(8, 3)).isZero();
            assertThat(b.getIntAcquire(8)).isEqualTo(3);
            SharedBuffer s = b.slice(16, 16);
            s.putLongRelease(8, 42);
            assertThat(b.getLong(24)).isEqualTo(42);
            assertThatThrownBy(() -> s.getLong(9)).isInstanceOf(IndexOutOfBoundsException.class);
            byte[] bytes = {1, 2, 3};
            b.putBytes(40, bytes, 0, 3);
            byte[] back = new byte[3];
            b.getBytes(40, back, 0, 3);
            assertThat(back).containsExactly(1, 2, 3);
        }
    }

    @Test
    void shouldCreateZeroPayloadWhenValueIsNullAndRejectWrongArrayLength() {
        try (IpcArc<byte[]> a = IpcArc.create(names.next("zeros"), ShmType.bytes(16), null)) {
            assertThat(a.read()).containsOnly(0);
            try (Guard<byte[]> g = a.acquire()) {
                assertThatThrownBy(() -> g.set(new byte[3])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=3");
            }
        }
    }
}
