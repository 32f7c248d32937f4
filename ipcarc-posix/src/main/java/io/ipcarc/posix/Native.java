package io.ipcarc.posix;

import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/** The loaded C library, the Linux constants IpcArc uses, and errno helpers. */
final class Native {
    /**
     * The C functions IpcArc calls, with their C names, bound through jnr-ffi.
     *
     * <p>Functions that report failure through errno are {@code @SaveError}: read
     * {@link Native#lastErrno()} on the same thread right after the call. The pthread functions
     * return their error code and are {@code @IgnoreError}. Raw addresses are
     * {@code @intptr_t long}.
     *
     * <p>Public only because jnr-ffi implements it in its own class loader; it is unreachable from
     * outside this package because {@link Native} is package-private.
     *
     * <p>jnr-ffi 2.2.17's x86_64 fast-call stub corrupts the 6th argument of calls whose
     * parameters are all primitives, so {@code mmap} takes its first parameter as a
     * {@link Pointer}, which routes the call through another path (see
     * {@code NativeBindingsTest#shouldMapAtNonZeroOffset}).
     */
    public interface LibC {
        @SaveError int shm_open(String name, int oflag, @mode_t int mode);
        @SaveError int shm_unlink(String name);
        @SaveError int ftruncate(int fd, @off_t long length);
        @IgnoreError int posix_fallocate(int fd, @off_t long offset, @off_t long length);
        @SaveError int fchmod(int fd, @mode_t int mode);
        @SaveError @off_t long lseek(int fd, @off_t long offset, int whence);
        @SaveError int flock(int fd, int operation);
        @SaveError int close(int fd);
        @SaveError @intptr_t long mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, @off_t long offset);
        @SaveError int munmap(@intptr_t long addr, @size_t long length);
        @SaveError long syscall(long number, @intptr_t long uaddr, int op, int val, Pointer timeout, @intptr_t long uaddr2, int val3);
        @IgnoreError int pthread_mutexattr_init(@intptr_t long attr);
        @IgnoreError int pthread_mutexattr_settype(@intptr_t long attr, int type);
        @IgnoreError int pthread_mutexattr_setpshared(@intptr_t long attr, int pshared);
        @IgnoreError int pthread_mutexattr_setrobust(@intptr_t long attr, int robust);
        @IgnoreError int pthread_mutexattr_destroy(@intptr_t long attr);
        @IgnoreError int pthread_mutex_init(@intptr_t long mutex, @intptr_t long attr);
        @IgnoreError int pthread_mutex_lock(@intptr_t long mutex);
        @IgnoreError int pthread_mutex_trylock(@intptr_t long mutex);
        @IgnoreError int pthread_mutex_clocklock(@intptr_t long mutex, int clockid, @intptr_t long abstime);
        @IgnoreError int pthread_mutex_unlock(@intptr_t long mutex);
        @IgnoreError int pthread_mutex_consistent(@intptr_t long mutex);
    }

    static final LibC LIBC;
    static final Runtime RUNTIME;

    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final long MAP_FAILED = -1L;
    static final int SEEK_END = 2;
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;

    /** SYS_futex: 202 on x86_64, 98 on aarch64. */
    static final long SYS_FUTEX = Platform.getNativePlatform().getCPU() == Platform.CPU.AARCH64 ? 98 : 202;
    /** FUTEX_WAIT without FUTEX_PRIVATE_FLAG: works across processes sharing the page. */
    static final int FUTEX_WAIT = 0;
    /** FUTEX_WAKE without FUTEX_PRIVATE_FLAG. */
    static final int FUTEX_WAKE = 1;

    static final int PTHREAD_PROCESS_SHARED = 1;
    static final int PTHREAD_MUTEX_ROBUST = 1;
    static final int PTHREAD_MUTEX_ERRORCHECK = 2;
    static final int CLOCK_MONOTONIC = 1;

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENOSPC = 28;
    static final int EDEADLK = 35;
    static final int ETIMEDOUT = 110;
    static final int EOWNERDEAD = 130;
    static final int ENOTRECOVERABLE = 131;

    static {
        if (Platform.getNativePlatform().getOS() != Platform.OS.LINUX) {
            throw new UnsupportedOperationException("ipcarc-posix supports Linux only: os="
                    + Platform.getNativePlatform().getOS());
        }
        LIBC = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        RUNTIME = Runtime.getRuntime(LIBC);
    }

    private Native() {
    }

    /** @return errno of the last {@code @SaveError} call on this thread */
    static int lastErrno() {
        return LastError.getLastError(RUNTIME);
    }

    /**
     * @param errno an error number
     * @return its symbolic name, such as {@code EACCES}, or {@code errno<N>}
     */
    static String errnoName(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno" + errno : e.name();
    }
}
