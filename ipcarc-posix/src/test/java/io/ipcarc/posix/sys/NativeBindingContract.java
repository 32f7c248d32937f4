package io.ipcarc.posix.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmNames;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scratch;

/**
 * What every {@link Binding} must do, called through one binding instance (not necessarily
 * this JVM's {@link Binding#CURRENT}), on a real object in /dev/shm: each {@link NativeOps}
 * function with its real C semantics (the 6-argument mmap at a non-zero offset, the variadic
 * fcntl and syscall, errno per thread, the error-checking robust mutex), and the binding's
 * memory (two mappings of one object see each other's plain and atomic accesses).
 * Subclasses name the binding: {@link JnrNativeBindingsTest} here, {@code FfmNativeBindingsTest}
 * in the JDK 22+ test sources.
 */
abstract class NativeBindingContract {
    private static final int PAGE = 4096;
    private static final int RW = Linux.PROT_READ | Linux.PROT_WRITE;
    private static final int EBADF = 9;
    /** struct stat: st_blocks, in 512-byte units (x86_64 and aarch64). */
    private static final int STAT_BLOCKS = 64;

    private final ShmNames names = new ShmNames();
    private final Binding binding = binding();
    private final NativeOps c = binding.c;
    private String name;
    private int fd = -1;

    /** @return the binding under test */
    abstract Binding binding();

    @BeforeEach
    void openObject() {
        name = names.next("native-" + binding.name());
        fd = c.shm_open(name, Linux.O_RDWR | Linux.O_CREAT | Linux.O_EXCL, 0600);
        assertThat(fd).as("shm_open errno=%s", Linux.errnoName(c.errno())).isNotNegative();
        assertThat(c.ftruncate(fd, 3 * PAGE)).isZero();
    }

    @AfterEach
    void closeObject() {
        if (fd >= 0) {
            c.close(fd);
        }
        c.shm_unlink(name);
        names.close();
    }

    private MemoryView view(RawMemory raw) {
        return new MemoryView(raw, 0, raw.size(), Scratch.ALWAYS);
    }

    @Test
    void shouldMapAtNonZeroOffset() {
        RawMemory whole = binding.map(fd, 3 * PAGE);
        assertThat(whole).as("map errno=%s", Linux.errnoName(c.errno())).isNotNull();
        view(whole).putLong(2 * PAGE, 0x1122334455667788L);

        // All six arguments must reach C intact: the offset is the 6th.
        long addr = c.mmap(0, PAGE, RW, Linux.MAP_SHARED, fd, 2 * PAGE);
        assertThat(addr).as("mmap at offset 8192: errno=%s", Linux.errnoName(c.errno())).isNotEqualTo(Linux.MAP_FAILED);
        assertThat(view(binding.wrap(addr, PAGE)).getLong(0)).isEqualTo(0x1122334455667788L);
        assertThat(c.munmap(addr, PAGE)).isZero();
        binding.unmap(whole);
    }

    @Test
    void shouldShareWritesAndAtomicsBetweenTwoMappings() {
        RawMemory a = binding.map(fd, PAGE);
        RawMemory b = binding.map(fd, PAGE);
        assertThat(a.address()).isNotEqualTo(b.address());
        MemoryView va = view(a);
        MemoryView vb = view(b);
        va.putInt(3, 0x01020304); // plain accesses may be unaligned
        va.putDouble(13, 2.5);
        va.putLongRelease(64, 7);
        assertThat(vb.getInt(3)).isEqualTo(0x01020304);
        assertThat(vb.getDouble(13)).isEqualTo(2.5);
        assertThat(vb.getLongAcquire(64)).isEqualTo(7);
        assertThat(vb.getAndAddLong(64, 5)).isEqualTo(7);
        assertThat(va.compareAndSetLong(64, 12, 20)).isTrue();
        assertThat(vb.compareAndSetInt(128, 1, 2)).isFalse();
        assertThat(vb.getAndAddInt(128, 3)).isZero();
        assertThat(va.getIntVolatile(128)).isEqualTo(3);
        assertThat(vb.getLongVolatile(64)).isEqualTo(20);
        byte[] bytes = {1, 2, 3, 4, 5};
        va.putBytes(200, bytes, 1, 3);
        byte[] back = new byte[3];
        vb.getBytes(200, back, 0, 3);
        assertThat(back).containsExactly(2, 3, 4);
        va.setMemory(300, 10, (byte) 7);
        assertThat(vb.getByte(309)).isEqualTo((byte) 7);
        assertThat(vb.getByte(310)).isZero();
        binding.unmap(a);
        binding.unmap(b);
    }

    @Test
    void shouldReportErrnoPerThread() throws Exception {
        String missing = names.next("missing");
        assertThat(c.shm_open(missing, Linux.O_RDWR, 0)).isEqualTo(-1);
        int other = CompletableFuture.supplyAsync(() -> {
            assertThat(c.close(-1)).isEqualTo(-1);
            return c.errno();
        }).get();
        assertThat(other).isEqualTo(EBADF);
        assertThat(c.errno()).as("this thread's errno, after another thread's failed call").isEqualTo(Linux.ENOENT);
    }

    @Test
    void shouldPunchPagesOutOfTheObjectSoThatTheyAreFreedAndReadAsZeros() {
        MemoryView st = view(binding.allocate(Linux.STAT_BYTES));
        assertThat(c.posix_fallocate(fd, 0, 4 * PAGE)).isZero();
        RawMemory m = binding.map(fd, 4 * PAGE);
        m.putLong(0, 7);
        m.putLong(PAGE, 42);
        assertThat(c.fstat(fd, st.addressOf(0))).isZero();
        long blocks = st.getLong(STAT_BLOCKS);

        assertThat(c.fallocate(fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, PAGE, 3 * PAGE)).isZero();

        assertThat(c.fstat(fd, st.addressOf(0))).isZero();
        assertThat(st.getLong(Linux.STAT_SIZE)).as("the size is kept").isEqualTo(4 * PAGE);
        assertThat(st.getLong(STAT_BLOCKS)).as("three pages given back (512-byte blocks)").isEqualTo(blocks - 3 * PAGE / 512);
        assertThat(m.getLong(PAGE)).as("a punched page reads as zeros through a live mapping").isZero();
        assertThat(m.getLong(0)).as("the first page is kept").isEqualTo(7);
        assertThat(c.fallocate(-1, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, 0, PAGE)).isEqualTo(-1);
        assertThat(c.errno()).isEqualTo(EBADF);
        binding.unmap(m);
    }

    @Test
    void shouldStatFallocateChmodFlockAndConfstr() {
        MemoryView st = view(binding.allocate(Linux.STAT_BYTES));
        assertThat(c.posix_fallocate(fd, 0, 4 * PAGE)).isZero();
        assertThat(c.fchmod(fd, 0640)).isZero();
        assertThat(c.fstat(fd, st.addressOf(0))).isZero();
        assertThat(st.getLong(Linux.STAT_SIZE)).isEqualTo(4 * PAGE);
        assertThat(st.getInt(Linux.STAT_MODE) & 0777).isEqualTo(0640);
        assertThat(st.getInt(Linux.STAT_UID)).isEqualTo(c.geteuid());

        int second = c.shm_open(name, Linux.O_RDWR, 0);
        assertThat(second).isNotNegative();
        try {
            assertThat(c.flock(fd, Linux.LOCK_EX | Linux.LOCK_NB)).isZero();
            assertThat(c.flock(second, Linux.LOCK_SH | Linux.LOCK_NB)).isEqualTo(-1);
            assertThat(c.errno()).isEqualTo(Linux.EAGAIN);
            assertThat(c.flock(fd, Linux.LOCK_UN)).isZero();
            assertThat(c.flock(second, Linux.LOCK_SH | Linux.LOCK_NB)).isZero();
        } finally {
            c.close(second);
        }
        MemoryView text = view(binding.allocate(64));
        long length = c.confstr(Linux.CS_GNU_LIBC_VERSION, text.addressOf(0), 64);
        byte[] version = new byte[(int) length - 1];
        text.getBytes(0, version, 0, version.length);
        assertThat(new String(version, StandardCharsets.US_ASCII)).startsWith("glibc 2.");
        assertThat(c.fstat(-1, st.addressOf(0))).isEqualTo(-1);
        assertThat(c.errno()).isEqualTo(EBADF);
        Reference.reachabilityFence(st);
    }

    @Test
    void shouldTakeAndTestOfdLocksThroughVariadicFcntl() {
        MemoryView lock = view(binding.allocate(Linux.FLOCK_SIZE));
        lock.putShort(Linux.FLOCK_TYPE, Linux.F_WRLCK);
        lock.putShort(Linux.FLOCK_WHENCE, Linux.SEEK_SET);
        lock.putLong(Linux.FLOCK_START, 100);
        lock.putLong(Linux.FLOCK_LEN, 1);
        assertThat(c.fcntl(fd, Linux.F_OFD_SETLK, lock.addressOf(0))).as("errno=%s", Linux.errnoName(c.errno())).isZero();

        int second = c.shm_open(name, Linux.O_RDWR, 0);
        try {
            MemoryView probe = view(binding.allocate(Linux.FLOCK_SIZE));
            probe.putShort(Linux.FLOCK_TYPE, Linux.F_WRLCK);
            probe.putLong(Linux.FLOCK_START, 100);
            probe.putLong(Linux.FLOCK_LEN, 1);
            assertThat(c.fcntl(second, Linux.F_OFD_GETLK, probe.addressOf(0))).isZero();
            assertThat(probe.getShort(Linux.FLOCK_TYPE)).as("the other description sees the lock").isEqualTo(Linux.F_WRLCK);
            assertThat(probe.getInt(Linux.FLOCK_PID)).as("OFD locks report pid -1").isEqualTo(-1);
        } finally {
            c.close(second);
        }
        Reference.reachabilityFence(lock);
    }

    @Test
    void shouldWaitOnFutexWithTimeoutAndWake() {
        RawMemory m = binding.map(fd, PAGE);
        MemoryView v = view(m);
        MemoryView ts = view(binding.allocate(Linux.TIMESPEC_BYTES));
        ts.putLong(0, 0);
        ts.putLong(8, 1_000_000); // 1 ms: the 4th argument is a pointer that must arrive intact
        long word = v.wordAddress(64);
        assertThat(c.futex(word, Linux.FUTEX_WAIT, 0, ts.addressOf(0))).isEqualTo(-1);
        assertThat(c.errno()).isEqualTo(Linux.ETIMEDOUT);
        v.putIntVolatile(64, 5);
        assertThat(c.futex(word, Linux.FUTEX_WAIT, 4, ts.addressOf(0))).isEqualTo(-1);
        assertThat(c.errno()).as("the value differs: no sleep").isEqualTo(Linux.EAGAIN);
        assertThat(c.futex(word, Linux.FUTEX_WAKE, Integer.MAX_VALUE, 0)).isZero();
        Reference.reachabilityFence(ts);
        binding.unmap(m);
    }

    @Test
    void shouldCheckErrorsOfRobustProcessSharedMutex() {
        RawMemory m = binding.map(fd, PAGE);
        long mutex = m.address() + 64;
        MemoryView attrView = view(binding.allocate(Linux.MUTEXATTR_BYTES));
        long attr = attrView.addressOf(0);
        assertThat(c.pthread_mutexattr_init(attr)).isZero();
        assertThat(c.pthread_mutexattr_settype(attr, Linux.PTHREAD_MUTEX_ERRORCHECK)).isZero();
        assertThat(c.pthread_mutexattr_setpshared(attr, Linux.PTHREAD_PROCESS_SHARED)).isZero();
        assertThat(c.pthread_mutexattr_setrobust(attr, Linux.PTHREAD_MUTEX_ROBUST)).isZero();
        assertThat(c.pthread_mutex_init(mutex, attr)).isZero();
        assertThat(c.pthread_mutexattr_destroy(attr)).isZero();
        Reference.reachabilityFence(attrView); // scratch memory is freed once unreachable

        assertThat(c.pthread_mutex_trylock(mutex)).isZero();
        assertThat(c.pthread_mutex_trylock(mutex)).as("relock by the owner").isEqualTo(Linux.EDEADLK);
        assertThat(c.pthread_mutex_consistent(mutex)).as("not inconsistent").isEqualTo(Linux.EINVAL);
        assertThat(c.pthread_mutex_unlock(mutex)).isZero();
        assertThat(c.pthread_mutex_unlock(mutex)).as("unlock when not the owner").isEqualTo(Linux.EPERM);

        assertThat(c.pthread_mutex_trylock(mutex)).isZero();
        int busy = CompletableFuture.supplyAsync(() -> c.pthread_mutex_trylock(mutex)).join();
        assertThat(busy).as("trylock by another thread").isEqualTo(Linux.EBUSY);
        assertThat(c.pthread_mutex_unlock(mutex)).isZero();
        binding.unmap(m);
    }

    @Test
    void shouldReportTruncationThroughInotify() {
        int in = c.inotify_init1(Linux.IN_CLOEXEC);
        assertThat(in).as("inotify_init1 errno=%s", Linux.errnoName(c.errno())).isNotNegative();
        try {
            int wd = c.inotify_add_watch(in, "/proc/self/fd/" + fd, Linux.IN_MODIFY);
            assertThat(wd).as("inotify_add_watch errno=%s", Linux.errnoName(c.errno())).isPositive();
            MemoryView pfd = view(binding.allocate(Linux.POLLFD_BYTES));
            pfd.putInt(0, in);
            pfd.putShort(4, Linux.POLLIN);
            assertThat(c.poll(pfd.addressOf(0), 1, 0)).as("nothing happened yet").isZero();

            assertThat(c.ftruncate(fd, PAGE)).isZero();
            assertThat(c.poll(pfd.addressOf(0), 1, 5_000)).as("poll errno=%s", Linux.errnoName(c.errno())).isEqualTo(1);
            MemoryView ev = view(binding.allocate(PAGE));
            long n = c.read(in, ev.addressOf(0), PAGE);
            assertThat(n).as("read errno=%s", Linux.errnoName(c.errno())).isGreaterThanOrEqualTo(Linux.INOTIFY_EVENT_BYTES);
            assertThat(ev.getInt(0)).as("wd").isEqualTo(wd);
            assertThat(ev.getInt(4) & Linux.IN_MODIFY).as("mask").isEqualTo(Linux.IN_MODIFY);
            assertThat(c.inotify_rm_watch(in, wd)).isZero();
            assertThat(c.inotify_rm_watch(in, wd)).as("already removed").isEqualTo(-1);
            assertThat(c.errno()).isEqualTo(Linux.EINVAL);
        } finally {
            c.close(in);
        }
    }

    @Test
    void shouldFailFutexWithEfaultAndReplacePagesAfterTruncation() {
        RawMemory m = binding.map(fd, 3 * PAGE);
        MemoryView v = view(m);
        v.putInt(2 * PAGE, 7);
        assertThat(c.ftruncate(fd, PAGE)).isZero();
        MemoryView ts = view(binding.allocate(Linux.TIMESPEC_BYTES));
        ts.putLong(8, 1_000_000L);
        assertThat(c.futex(m.address() + 2 * PAGE, Linux.FUTEX_WAIT, 7, ts.addressOf(0))).isEqualTo(-1);
        assertThat(c.errno()).as("a vanished page is an error code, not a signal").isEqualTo(Linux.EFAULT);
        assertThat(c.futex(m.address() + 2 * PAGE, Linux.FUTEX_WAKE, 1, 0)).isEqualTo(-1);
        assertThat(c.errno()).isEqualTo(Linux.EFAULT);

        assertThat(binding.replaceWithPrivate(m, PAGE, 2 * PAGE)).as("mmap errno=%s", Linux.errnoName(c.errno())).isTrue();
        assertThat(v.getInt(2 * PAGE)).as("a private zero page, no fault").isZero();
        v.putInt(0, 5);
        assertThat(v.getInt(0)).as("the page inside the object is still the object's").isEqualTo(5);
        Reference.reachabilityFence(ts);
        binding.unmap(m);
    }
}
