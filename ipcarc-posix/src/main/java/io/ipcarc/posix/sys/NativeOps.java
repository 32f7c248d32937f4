package io.ipcarc.posix.sys;

/**
 * The native seam: every foreign function ipcarc-posix calls, one per line, under its C name.
 * Two bindings implement it ({@link Binding}): jnr-ffi on JDK 17 to 21 and {@code java.lang.foreign}
 * on JDK 22 and later.
 *
 * <p>Conventions, the same in both bindings:
 * <ul>
 *   <li>Functions that report failure through errno return -1 (mmap: {@link Linux#MAP_FAILED});
 *       read {@link #errno()} right after the call, on the same thread.</li>
 *   <li>The pthread functions and posix_fallocate return their error code and leave errno alone.</li>
 *   <li>Pointers are raw addresses ({@code long}): a mapping's, or memory from
 *       {@link Binding#allocate(int)}.</li>
 *   <li>{@code pthread_mutex_trylock} and {@code pthread_mutex_unlock} never block, so a binding
 *       may call them without the thread-state transition of a blocking foreign call; every other
 *       function may block and is called the ordinary way.</li>
 * </ul>
 */
public interface NativeOps {
    // @formatter:off  one function per line, as in a C header
    int shm_open(String name, int oflag, int mode);
    int shm_unlink(String name);
    int ftruncate(int fd, long length);
    int posix_fallocate(int fd, long offset, long length);
    int fallocate(int fd, int mode, long offset, long length);
    int fchmod(int fd, int mode);
    int fstat(int fd, long statbuf);
    int flock(int fd, int operation);
    int fcntl(int fd, int cmd, long flock);
    int close(int fd);
    int geteuid();
    long confstr(int name, long buf, long len);
    long mmap(long addr, long length, int prot, int flags, int fd, long offset);
    int munmap(long addr, long length);
    long futex(long uaddr, int op, int val, long timeout);
    int inotify_init1(int flags);
    int inotify_add_watch(int fd, String pathname, int mask);
    int inotify_rm_watch(int fd, int wd);
    long read(int fd, long buf, long count);
    int poll(long fds, long nfds, int timeout);
    int pthread_mutexattr_init(long attr);
    int pthread_mutexattr_settype(long attr, int type);
    int pthread_mutexattr_setpshared(long attr, int pshared);
    int pthread_mutexattr_setrobust(long attr, int robust);
    int pthread_mutexattr_destroy(long attr);
    int pthread_mutex_init(long mutex, long attr);
    int pthread_mutex_trylock(long mutex);
    int pthread_mutex_unlock(long mutex);
    int pthread_mutex_consistent(long mutex);
    // @formatter:on

    /** @return errno of the last errno-setting call on this thread (saved by the binding right after the call) */
    int errno();
}
