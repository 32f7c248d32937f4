package io.ipcarc.posix;

import io.ipcarc.ArcOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import io.ipcarc.testing.ShmNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IpcArc.futexWord: the process-shared futex (a 7-argument syscall binding). */
@Timeout(30)
class FutexTest {
    /** Lock-free structures in the payload need the single copy of a raw payload. */
    private static final ArcOptions RAW = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldReturnAtOnceWhenTheWordAlreadyDiffers() {
        try (IpcArc<byte[]> arc = IpcArc.create(names.next("futex-differs"), ShmType.bytes(64), null, RAW)) {
            SharedBuffer b = arc.buffer();
            b.putIntVolatile(0, 5);
            long t0 = System.nanoTime();
            assertThat(arc.futexWord(0).await(4, 5_000_000_000L)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void shouldTimeOutWhenNobodyWakes() {
        try (IpcArc<byte[]> arc = IpcArc.create(names.next("futex-timeout"), ShmType.bytes(64), null, RAW)) {
            long t0 = System.nanoTime();
            assertThat(arc.futexWord(0).await(0, 50_000_000L)).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void shouldWakeASleeperThroughAnotherMappingOfTheSegment() throws Exception {
        String name = names.next("futex-wake");
        try (IpcArc<byte[]> a = IpcArc.create(name, ShmType.bytes(64), null, RAW);
             IpcArc<byte[]> b = IpcArc.load(name, ShmType.bytes(64))) {
            AtomicBoolean woke = new AtomicBoolean();
            Thread sleeper = new Thread(() -> {
                while (a.buffer().getIntAcquire(8) == 0) {
                    a.futexWord(8).await(0, 10_000_000_000L);
                }
                woke.set(true);
            });
            sleeper.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sleeper.getState() == Thread.State.RUNNABLE);
            b.buffer().putIntRelease(8, 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                b.futexWord(8).wakeAll();
                return woke.get();
            });
            sleeper.join(5000);
            assertThat(woke).isTrue();
        }
    }
}
