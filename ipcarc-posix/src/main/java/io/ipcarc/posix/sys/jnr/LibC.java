package io.ipcarc.posix.sys.jnr;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * libc as jnr-ffi binds it. Functions that set errno are {@code @SaveError}; the pthread
 * functions return their error code and are {@code @IgnoreError}. Raw addresses are
 * {@code @intptr_t long}.
 *
 * <p>In a package of its own, exported, only because jnr-ffi implements it with a class of its
 * own class loader (an unnamed module, which only an unqualified export reaches). It declares
 * libc functions and nothing else: a caller could bind them with jnr-ffi as well without it.
 *
 * <p>jnr-ffi 2.2.17's x86_64 fast-call stub corrupts the 6th argument of calls whose
 * parameters are all primitives, so {@code mmap} and {@code syscall} take one parameter as a
 * {@link Pointer}, which routes the call through another path (see
 * {@code NativeBindingsTest#shouldMapAtNonZeroOffset}).
 */
@SuppressWarnings("exports") // jnr.ffi.Pointer in two signatures: the module requires jnr-ffi, but only jnr-ffi calls these
public interface LibC {
    // @formatter:off
    @SaveError int shm_open(String name, int oflag, @mode_t int mode);
    @SaveError int shm_unlink(String name);
    @SaveError int ftruncate(int fd, @off_t long length);
    @IgnoreError int posix_fallocate(int fd, @off_t long offset, @off_t long length);
    @SaveError int fallocate(int fd, int mode, @off_t long offset, @off_t long length);
    @SaveError int fchmod(int fd, @mode_t int mode);
    @SaveError int fstat(int fd, @intptr_t long statbuf);
    @SaveError int flock(int fd, int operation);
    @SaveError int fcntl(int fd, int cmd, @intptr_t long arg);
    @SaveError int close(int fd);
    @IgnoreError int geteuid();
    @SaveError @size_t long confstr(int name, @intptr_t long buf, @size_t long len);
    @SaveError @intptr_t long mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, @off_t long offset);
    @SaveError int munmap(@intptr_t long addr, @size_t long length);
    @SaveError long syscall(long number, @intptr_t long uaddr, int op, int val, Pointer timeout, @intptr_t long uaddr2, int val3);
    @SaveError int inotify_init1(int flags);
    @SaveError int inotify_add_watch(int fd, String pathname, int mask);
    @SaveError int inotify_rm_watch(int fd, int wd);
    @SaveError @ssize_t long read(int fd, @intptr_t long buf, @size_t long count);
    @SaveError int poll(@intptr_t long fds, @u_int64_t long nfds, int timeout);
    @IgnoreError int pthread_mutexattr_init(@intptr_t long attr);
    @IgnoreError int pthread_mutexattr_settype(@intptr_t long attr, int type);
    @IgnoreError int pthread_mutexattr_setpshared(@intptr_t long attr, int pshared);
    @IgnoreError int pthread_mutexattr_setrobust(@intptr_t long attr, int robust);
    @IgnoreError int pthread_mutexattr_destroy(@intptr_t long attr);
    @IgnoreError int pthread_mutex_init(@intptr_t long mutex, @intptr_t long attr);
    @IgnoreError int pthread_mutex_trylock(@intptr_t long mutex);
    @IgnoreError int pthread_mutex_unlock(@intptr_t long mutex);
    @IgnoreError int pthread_mutex_consistent(@intptr_t long mutex);
    // @formatter:on
}
