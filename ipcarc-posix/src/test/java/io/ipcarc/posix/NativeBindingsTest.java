package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.segment.ShmFile;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.NativeOps;

/**
 * The native seam as this JVM's binding ({@link Binding#CURRENT}: jnr-ffi on JDK 17, FFM on
 * JDK 22+, or what {@code -Dipcarc.native} forces) serves the library's own classes: the
 * 6-argument mmap at a non-zero offset next to a {@link MappedMemory} (jnr-ffi 2.2.17's fast-call
 * stub corrupts the 6th argument of all-primitive calls: the offset must reach C intact), and
 * errno after a failed {@link ShmFile#open}. {@link NativeBindingContract} checks every function
 * against each binding instance.
 */
class NativeBindingsTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldMapAtNonZeroOffset() {
        NativeOps c = Binding.C;
        String name = names.next("mmap");
        ShmFile file = ShmFile.open(name, Linux.O_RDWR | Linux.O_CREAT | Linux.O_EXCL, 0600);
        assertThat(file).as("shm_open errno=%s", Linux.errnoName(c.errno())).isNotNull();
        try (file) {
            assertThat(c.ftruncate(file.fd, 3 * 4096)).isZero();
            MappedMemory whole = MappedMemory.map(file.fd, file.name, 3 * 4096, null);
            MemoryView all = whole.view();
            all.putLong(2 * 4096, 0x1122334455667788L);
            all.putLong(4096, 0x0102030405060708L);

            long addr = c.mmap(0, 4096, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED, file.fd, 2 * 4096);
            assertThat(addr).as("mmap at offset 8192: errno=%s", Linux.errnoName(c.errno())).isNotEqualTo(Linux.MAP_FAILED);
            MemoryView third = new MemoryView(Binding.CURRENT.wrap(addr, 4096), 0, 4096, whole);
            assertThat(third.getLong(0)).isEqualTo(0x1122334455667788L);
            assertThat(c.munmap(addr, 4096)).isZero();
            whole.unmapNow();
        } finally {
            c.shm_unlink(name);
        }
    }

    @Test
    void shouldReportErrnoByName() {
        String name = names.next("missing");
        assertThat(ShmFile.open(name, Linux.O_RDWR, 0)).isNull();
        assertThat(Binding.C.errno()).isEqualTo(Linux.ENOENT);
        assertThat(Linux.errnoName(Linux.EACCES)).isEqualTo("EACCES");
        assertThat(Linux.errnoName(Linux.EOWNERDEAD)).isEqualTo("EOWNERDEAD");
    }
}
