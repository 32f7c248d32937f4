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
 * {@link FfmBinding#retire} the JDK itself refuses every access (also one racing with the
 * retire), while the address range stays mapped (a private placeholder) for foreign calls that
 * raced past the library's checks, until {@link FfmBinding#unmap}.
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
    void shouldRefuseAccessAfterRetireAndKeepTheRangeMappedUntilUnmap() {
        RawMemory m = ffm.map(fd, PAGE);
        m.putLong(0, 42);
        RawMemory other = ffm.map(fd, PAGE);
        assertThat(other.getLong(0)).isEqualTo(42);

        assertThat(ffm.retire(m)).isZero();

        assertThatThrownBy(() -> m.getLong(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> m.getAndAddLong(8, 1)).isInstanceOf(IllegalStateException.class);
        RawMemory placeholder = ffm.wrap(m.address(), PAGE);
        assertThat(placeholder.getLong(0)).as("the range now holds private zeros").isZero();
        placeholder.putLong(0, 7);
        assertThat(other.getLong(0)).as("and no longer reaches the shared object").isEqualTo(42);
        assertThat(ffm.c.pthread_mutex_trylock(m.address() + 64)).as("a raced foreign call sees valid memory").isZero();

        ffm.unmap(m); // after retire: releases the range, closing nothing twice
        ffm.unmap(other);
    }

    @Test
    void shouldRetireWhileAnotherThreadIsReadingAndStopThatThread() throws Exception {
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

        assertThat(ffm.retire(m)).isZero();

        assertThat(reader.get()).as("the reader's access after close").isInstanceOf(IllegalStateException.class);
        assertThat(reads.get()).isPositive();
        ffm.unmap(m);
    }
}
