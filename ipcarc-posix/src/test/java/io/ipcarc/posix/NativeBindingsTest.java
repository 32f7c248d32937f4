package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmNames;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the 6-argument binding (mmap) survives jnr-ffi 2.2.17's fast-call bug: the offset,
 * the 6th argument, must reach C intact.
 */
class NativeBindingsTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldMapAtNonZeroOffset() {
        String name = names.next("mmap");
        ShmFile file = ShmFile.open(name, Native.O_RDWR | Native.O_CREAT | Native.O_EXCL, 0600);
        assertThat(file).as("shm_open errno=%s", Native.errnoName(Native.lastErrno())).isNotNull();
        try (file) {
            assertThat(Native.LIBC.ftruncate(file.fd, 3 * 4096)).isZero();
            MappedMemory whole = MappedMemory.map(file, 3 * 4096);
            MemoryView all = MemoryView.whole(whole);
            all.putLong(4096, 0x1122334455667788L);
            all.putLong(2 * 4096 + 8, -5L);

            long addr = Native.LIBC.mmap(null, 4096, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_SHARED, file.fd, 2 * 4096);
            assertThat(addr).as("mmap at offset 8192: errno=%s", Native.errnoName(Native.lastErrno())).isNotEqualTo(Native.MAP_FAILED);
            Pointer p = Pointer.wrap(Native.RUNTIME, addr);
            assertThat(p.getLong(8)).isEqualTo(-5L);
            assertThat(Native.LIBC.munmap(addr, 4096)).isZero();

            long addr1 = Native.LIBC.mmap(null, 4096, Native.PROT_READ, Native.MAP_SHARED, file.fd, 4096);
            assertThat(addr1).isNotEqualTo(Native.MAP_FAILED);
            assertThat(Pointer.wrap(Native.RUNTIME, addr1).getLong(0)).isEqualTo(0x1122334455667788L);
            assertThat(Native.LIBC.munmap(addr1, 4096)).isZero();
            whole.unmapNow();
        } finally {
            Native.LIBC.shm_unlink(name);
        }
    }

    @Test
    void shouldReportErrnoOfFailedCall() {
        String name = names.next("missing");
        assertThat(ShmFile.open(name, Native.O_RDWR, 0)).isNull();
        assertThat(Native.lastErrno()).isEqualTo(Native.ENOENT);
        assertThat(Native.errnoName(Native.EACCES)).isEqualTo("EACCES");
        assertThat(Native.errnoName(Native.EOWNERDEAD)).isEqualTo("EOWNERDEAD");
    }
}
