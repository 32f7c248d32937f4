package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.MUTEX_KIND;
import static io.ipcarc.posix.segment.SegmentDescriptor.MUTEX_KIND_WORD;
import static io.ipcarc.posix.segment.SegmentDescriptor.USER_MUTEX_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.testing.ShmNames;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.segment.SegmentDescriptor;

/**
 * A process that writes into the user mutex (here: a second mapping of the object, as any
 * process with write access could): the words glibc trusts without checking. The kind word is
 * checked before every pthread call; the owner word and the robust-list links a lock left are
 * put back before the unlock follows them. Without those repairs glibc would write through the
 * forged links on unlock (SIGSEGV: this test's JVM would die) or mark the mutex not recoverable.
 */
class MutexDamageTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    private static MappedByteBuffer mapFromOutside(String name) throws IOException {
        try (FileChannel ch = FileChannel.open(Path.of("/dev/shm" + name), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return (MappedByteBuffer) ch.map(FileChannel.MapMode.READ_WRITE, 0, SegmentDescriptor.PAGE).order(ByteOrder.nativeOrder());
        }
    }

    @Test
    void shouldRefuseToCallGlibcOnADamagedKindWordAndLockAgainOnceItIsRestored() throws IOException {
        String name = names.next("kind");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            MappedByteBuffer outside = mapFromOutside(name);
            outside.putInt(USER_MUTEX_OFFSET + MUTEX_KIND_WORD, 0);

            assertThatThrownBy(arc::acquire).isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("not called").hasMessageContaining("word=kind").hasMessageContaining(name);
            assertThatThrownBy(arc::tryAcquire).isInstanceOf(CorruptSegmentException.class).hasMessageContaining("word=kind");
            assertThat(arc.read()).as("the lock-free read needs no mutex").isEqualTo(1L);

            outside.putInt(USER_MUTEX_OFFSET + MUTEX_KIND_WORD, MUTEX_KIND);
            try (Guard<Long> g = arc.acquire()) {
                g.set(2L);
            }
            assertThat(arc.read()).isEqualTo(2L);
        }
    }

    @Test
    void shouldRepairTheWordsDamagedWhileHeldThenReleaseAndReport() throws IOException {
        String name = names.next("held");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            MappedByteBuffer outside = mapFromOutside(name);
            Guard<Long> g = arc.acquire();
            g.set(5L);
            outside.putInt(USER_MUTEX_OFFSET + MUTEX_KIND_WORD, 0);
            outside.putInt(USER_MUTEX_OFFSET + MutexIntegrity.OWNER_WORD, 0x7fffffff); // glibc's "inconsistent"
            outside.putLong(USER_MUTEX_OFFSET + MutexIntegrity.LIST_PREV, 0xdead0000L);
            outside.putLong(USER_MUTEX_OFFSET + MutexIntegrity.LIST_NEXT, 0xbeef0000L);

            assertThatThrownBy(g::close).isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("damaged while held, repaired and released").hasMessageContaining(name)
                    .hasMessageContaining("words=kind,owner,list");

            assertThat(g.isHeld()).isFalse();
            assertThat(arc.read()).as("published before the repair").isEqualTo(5L);
            try (Guard<Long> again = arc.tryAcquire().orElseThrow(() -> new AssertionError("the lock was not released"))) {
                assertThat(again.ownerDied()).isFalse();
                again.set(6L);
            }
            assertThat(arc.read()).as("the mutex is still recoverable and works").isEqualTo(6L);
        }
    }
}
