package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.testing.ShmNames;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FFM binding's mappings: a mapping lives in a shared arena, so that after
 * {@link FfmBinding#endJavaAccess} the JDK itself refuses every access through it (also one
 * racing with the close), while the pages stay mapped, shared, for foreign calls and the
 * library's unchecked accesses that raced past its checks, until {@link FfmBinding#unmap}. The
 * library's unscoped views reach the same memory at absolute addresses ({@link FfmAbsolute}),
 * still bounds-checked by {@link MemoryView}.
 */
class FfmMemoryTest {
    private static final int PAGE = 4096;
    private final ShmNames names = new ShmNames();
    private final FfmBinding ffm = new FfmBinding();
    private String name;
    private int fd;

    @BeforeEach
    void openObject() {
        name = names.next("ffm-memory");
        fd = ffm.c.shm_open(name, Linux.O_RDWR | Linux.O_CREAT | Linux.O_EXCL, 0600);
        assertThat(fd).isNotNegative();
        assertThat(ffm.c.ftruncate(fd, PAGE)).isZero();
    }

    @AfterEach
    void closeObject() {
        ffm.c.close(fd);
        ffm.c.shm_unlink(name);
        names.close();
    }

    @Test
    void shouldRefuseAccessAfterEndJavaAccessAndKeepThePagesMappedUntilUnmap() {
        RawMemory m = ffm.map(fd, PAGE);
        m.putLong(0, 42);
        RawMemory other = ffm.map(fd, PAGE);
        assertThat(other.getLong(0)).isEqualTo(42);

        ffm.endJavaAccess(m);

        assertThatThrownBy(() -> m.getLong(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.getAndAddLong(8, 1)).isInstanceOf(IllegalStateException.class);
        RawMemory still = ffm.wrap(m.address(), PAGE);
        assertThat(still.getLong(0)).as("the range still maps the shared object").isEqualTo(42);
        still.putLong(0, 7);
        assertThat(other.getLong(0)).as("shared, not a private copy").isEqualTo(7);
        assertThat(ffm.c.pthread_mutex_trylock(m.address() + 64)).as("a raced foreign call sees valid memory").isZero();

        ffm.unmap(m); // after endJavaAccess: releases the range, closing nothing twice
        ffm.unmap(other);
    }

    @Test
    void shouldEndJavaAccessWhileAnotherThreadIsReadingAndStopThatThread() throws Exception {
        RawMemory m = ffm.map(fd, PAGE);
        m.putLong(0, 1);
        CountDownLatch reading = new CountDownLatch(1);
        AtomicLong reads = new AtomicLong();
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                while (true) {
                    reads.addAndGet(m.getLongAcquire(0) + m.getLong(8));
                    reading.countDown();
                }
            } catch (Throwable t) {
                return t;
            }
        });
        reading.await();

        ffm.endJavaAccess(m);

        assertThat(reader.get()).as("the reader's access after close").isInstanceOf(IllegalStateException.class);
        assertThat(reads.get()).isPositive();
        ffm.unmap(m);
    }

    @Test
    void shouldGiveUnscopedViewsTheSameMemoryAtAbsoluteAddressesWithBoundsChecks() {
        RawMemory m = ffm.map(fd, PAGE);
        RawMemory other = ffm.map(fd, PAGE);
        MemoryView scoped = new MemoryView(m, 128, 256, Scratch.ALWAYS);
        MemoryView unscoped = scoped.unscoped();
        assertThat(m.unchecked()).isInstanceOf(FfmAbsolute.class);
        assertThat(m.unchecked().root()).isSameAs(m);

        unscoped.putLong(8, 0x0102030405060708L);
        unscoped.putIntRelease(16, 77);
        assertThat(unscoped.compareAndSetLong(24, 0, 5)).isTrue();
        assertThat(unscoped.getAndAddLong(24, 2)).isEqualTo(5);
        assertThat(other.getLong(128 + 8)).as("the shared object, seen through another mapping").isEqualTo(0x0102030405060708L);
        assertThat(other.getInt(128 + 16)).isEqualTo(77);
        assertThat(scoped.getLong(24)).isEqualTo(7);
        byte[] bytes = new byte[8];
        unscoped.getBytes(8, bytes, 0, 8);
        assertThat(bytes[0]).isEqualTo((byte) 0x08); // little-endian
        scoped.copyFrom(64, unscoped, 8, 16); // one mapping, whichever path each view takes
        assertThat(other.getLong(128 + 64)).isEqualTo(0x0102030405060708L);

        assertThatThrownBy(() -> unscoped.getLong(256 - 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> unscoped.putInt(-4, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> unscoped.getLongAcquire(12)).isInstanceOf(IllegalArgumentException.class);

        ffm.endJavaAccess(m);
        assertThat(unscoped.getLong(8)).as("after endJavaAccess: the same shared memory, no fault").isEqualTo(0x0102030405060708L);
        assertThatThrownBy(() -> scoped.getLong(8)).as("the arena refuses the scoped path")
                .isInstanceOf(IllegalStateException.class);
        assertThat(other.getLong(128 + 8)).isEqualTo(0x0102030405060708L);
        ffm.unmap(m);
        ffm.unmap(other);
    }
}
