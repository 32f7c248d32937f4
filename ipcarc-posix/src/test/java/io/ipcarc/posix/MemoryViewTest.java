package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedWindow;
import io.ipcarc.testing.ShmNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scope;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/**
 * The one buffer ({@link MemoryView}) over a real mapping, with this JVM's binding: bounds and
 * alignment on every access, the lifetime on every access of a scoped view, once per move of a
 * window; unscoped views and windows reach the same shared memory; the heap buffer of the API
 * behaves the same way.
 */
class MemoryViewTest {
    private static final int PAGE = 4096;
    private final ShmNames names = new ShmNames();
    private final Binding binding = Binding.CURRENT;
    private String name;
    private int fd;
    private RawMemory mapping;
    private RawMemory other;

    @BeforeEach
    void map() {
        name = names.next("memory-view");
        fd = binding.c.shm_open(name, Linux.O_RDWR | Linux.O_CREAT | Linux.O_EXCL, 0600);
        assertThat(fd).isNotNegative();
        assertThat(binding.c.ftruncate(fd, PAGE)).isZero();
        mapping = binding.map(fd, PAGE);
        other = binding.map(fd, PAGE);
    }

    @AfterEach
    void unmap() {
        binding.unmap(mapping);
        binding.unmap(other);
        binding.c.close(fd);
        binding.c.shm_unlink(name);
        names.close();
    }

    /** A lifetime a test ends. */
    private static final class Life extends Scope {
        @Override
        public RuntimeException closedError() {
            return new IllegalStateException("ended");
        }
    }

    @Test
    void shouldCheckBoundsAlignmentAndTheLifetimeOfEveryAccessOfAScopedView() {
        Life life = new Life();
        MemoryView v = new MemoryView(mapping, 128, 256, life);
        v.putLong(8, 0x0102030405060708L);
        v.putIntRelease(16, 77);
        assertThat(v.compareAndSetLong(24, 0, 5)).isTrue();
        assertThat(v.getAndAddLong(24, 2)).isEqualTo(5);
        assertThat(other.getLong(128 + 8)).as("shared: seen through another mapping").isEqualTo(0x0102030405060708L);
        assertThat(other.getInt(128 + 16)).isEqualTo(77);
        assertThat(other.getLong(128 + 24)).isEqualTo(7);
        assertThatThrownBy(() -> v.getLong(256 - 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> v.putInt(-4, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> v.getLongAcquire(12)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("misaligned");
        MemoryView unscoped = v.unscoped();
        life.end();
        assertThatThrownBy(() -> v.getLong(8)).isInstanceOf(IllegalStateException.class).hasMessage("ended");
        assertThat(unscoped.getLong(8)).as("the library's unscoped view: the same memory, no per-access check")
                .isEqualTo(0x0102030405060708L);
    }

    @Test
    void shouldMoveAWindowCheckingItsRangeAndItsSourceOnceAMove() {
        Life life = new Life();
        MemoryView table = new MemoryView(mapping, 0, 64 * 16, life);
        SharedWindow row = table.window(64);
        for (int i = 0; i < 16; i++) {
            row.moveTo(i * 64).putLong(0, i);
            assertThat(row.offset()).isEqualTo(i * 64);
        }
        assertThat(other.getLong(5 * 64)).isEqualTo(5);
        assertThatThrownBy(() -> row.moveTo(15 * 64 + 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> row.getLong(60)).as("inside the window only").isInstanceOf(IndexOutOfBoundsException.class);
        SharedBuffer part = row.slice(8, 16);
        part.putLong(8, 99);
        assertThat(other.getLong(15 * 64 + 16)).isEqualTo(99);
        life.end();
        assertThatThrownBy(() -> row.moveTo(0)).as("the source's end is found at the next move")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> part.getLong(0)).as("a slice of a window checks on every access")
                .isInstanceOf(IllegalStateException.class);
        assertThat(row.isOpen()).isFalse();
    }

    @Test
    void shouldGiveTheHeapBufferTheSameAccessorsAndWindows() {
        byte[] bytes = new byte[256];
        SharedBuffer heap = SharedBuffer.wrap(bytes);
        heap.putLong(8, 0x0102030405060708L);
        assertThat(bytes[8]).isEqualTo((byte) 0x08); // native order: little-endian here
        assertThat(heap.compareAndSetInt(16, 0, 3)).isTrue();
        assertThat(heap.getAndAddLong(24, 5)).isZero();
        SharedWindow w = heap.window(32);
        assertThat(w.moveTo(32).getLong(0)).isZero();
        w.putLong(0, 11);
        assertThat(heap.getLong(32)).isEqualTo(11);
        assertThatThrownBy(() -> w.moveTo(256 - 16)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> heap.getIntAcquire(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
