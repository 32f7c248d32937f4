package io.ipcarc.posix.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * {@link NativeOps} as {@code java.lang.foreign} downcalls into libc (JDK 22 and later).
 *
 * <ul>
 *   <li>Pointers are {@code JAVA_LONG} parameters: a C pointer and a 64-bit integer travel in the
 *       same register on x86_64 and aarch64, and a raw {@code long} needs no {@link MemorySegment}
 *       per call.</li>
 *   <li>Functions that set errno are linked with {@code captureCallState("errno")}: each call
 *       copies errno, right after the C function returns, into a per-thread buffer that
 *       {@link #errno()} reads (per thread also for virtual threads, so a carrier switch between
 *       the call and {@code errno()} cannot mix up two threads' values).</li>
 *   <li>{@code pthread_mutex_trylock} and {@code pthread_mutex_unlock} are critical downcalls
 *       ({@code Linker.Option.critical(false)}): the thread stays "in Java" for the call, which
 *       saves the two thread-state transitions of an ordinary downcall. Legal only because neither
 *       function ever blocks; every function that may block (the futex wait, poll, read,
 *       flock, ...) is an ordinary downcall, so the JVM can reach a safepoint while it waits.</li>
 *   <li>{@code fcntl} and {@code syscall} are variadic in C: linked with
 *       {@code firstVariadicArg}. Every argument of {@code syscall} is passed as a full 64-bit
 *       value, since the kernel reads each one as a register-sized word.</li>
 * </ul>
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: enabled by --enable-native-access / Enable-Native-Access
final class FfmFunctions implements NativeOps {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    /** Where the errno-setting calls of a thread leave errno; GC-managed memory, one block per thread. */
    private static final ThreadLocal<MemorySegment> SAVED_ERRNO = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    /** int (const char*, int, mode_t) */
    private static final MethodHandle SHM_OPEN = errnoSetting("shm_open", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    /** int (const char*) */
    private static final MethodHandle SHM_UNLINK = errnoSetting("shm_unlink", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    /** int (int, off_t) */
    private static final MethodHandle FTRUNCATE = errnoSetting("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int (int, off_t, off_t): returns the error */
    private static final MethodHandle POSIX_FALLOCATE = ordinary("posix_fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** int (int, int, off_t, off_t) */
    private static final MethodHandle FALLOCATE = errnoSetting("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** int (int, mode_t) */
    private static final MethodHandle FCHMOD = errnoSetting("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** int (int, struct stat*) */
    private static final MethodHandle FSTAT = errnoSetting("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int (int, int) */
    private static final MethodHandle FLOCK = errnoSetting("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** int (int, int, ...) */
    private static final MethodHandle FCNTL = errnoSetting("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    /** int (int) */
    private static final MethodHandle CLOSE = errnoSetting("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** uid_t (void) */
    private static final MethodHandle GETEUID = ordinary("geteuid", FunctionDescriptor.of(JAVA_INT));
    /** size_t (int, char*, size_t) */
    private static final MethodHandle CONFSTR = errnoSetting("confstr", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** void* (void*, size_t, int, int, int, off_t) */
    private static final MethodHandle MMAP = errnoSetting("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int (void*, size_t) */
    private static final MethodHandle MUNMAP = errnoSetting("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** long (long, ...) */
    private static final MethodHandle SYSCALL = errnoSetting("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    /** int (int) */
    private static final MethodHandle INOTIFY_INIT1 = errnoSetting("inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** int (int, const char*, uint32_t) */
    private static final MethodHandle INOTIFY_ADD_WATCH = errnoSetting("inotify_add_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** int (int, int) */
    private static final MethodHandle INOTIFY_RM_WATCH = errnoSetting("inotify_rm_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** ssize_t (int, void*, size_t): blocks, an ordinary downcall */
    private static final MethodHandle READ = errnoSetting("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** int (struct pollfd*, nfds_t, int): blocks, an ordinary downcall */
    private static final MethodHandle POLL = errnoSetting("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUTEXATTR_INIT = ordinary("pthread_mutexattr_init", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUTEXATTR_SETTYPE = ordinary("pthread_mutexattr_settype",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUTEXATTR_SETPSHARED = ordinary("pthread_mutexattr_setpshared",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUTEXATTR_SETROBUST = ordinary("pthread_mutexattr_setrobust",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUTEXATTR_DESTROY = ordinary("pthread_mutexattr_destroy", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUTEX_INIT = ordinary("pthread_mutex_init", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** Never blocks: a critical downcall. */
    private static final MethodHandle MUTEX_TRYLOCK = critical("pthread_mutex_trylock", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    /** Never blocks (at most one FUTEX_WAKE): a critical downcall. */
    private static final MethodHandle MUTEX_UNLOCK = critical("pthread_mutex_unlock", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUTEX_CONSISTENT = ordinary("pthread_mutex_consistent", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + name
                + " (IpcArc needs glibc 2.34 or later for the FFM binding; -D" + Binding.PROPERTY + "=jnr may work)"));
    }

    private static MethodHandle ordinary(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static MethodHandle critical(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.critical(false));
    }

    private static MethodHandle errnoSetting(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(symbol(name), fd, options);
    }

    private static MemorySegment state() {
        return SAVED_ERRNO.get();
    }

    /**
     * What a downcall threw, to rethrow: unchecked exceptions and errors as they are; anything
     * else (invokeExact declares Throwable; a C function cannot throw) would be a linkage bug.
     */
    private static RuntimeException rethrow(String name, Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("foreign call failed: function=" + name, t);
    }

    // Every method below is one invokeExact, with the C function's name for rethrow().

    @Override
    public int shm_open(String name, int oflag, int mode) {
        try (Arena a = Arena.ofConfined()) {
            return (int) SHM_OPEN.invokeExact(state(), a.allocateFrom(name).address(), oflag, mode);
        } catch (Throwable t) {
            throw rethrow("shm_open", t);
        }
    }

    @Override
    public int shm_unlink(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) SHM_UNLINK.invokeExact(state(), a.allocateFrom(name).address());
        } catch (Throwable t) {
            throw rethrow("shm_unlink", t);
        }
    }

    @Override
    public int ftruncate(int fd, long length) {
        try {
            return (int) FTRUNCATE.invokeExact(state(), fd, length);
        } catch (Throwable t) {
            throw rethrow("ftruncate", t);
        }
    }

    @Override
    public int posix_fallocate(int fd, long offset, long length) {
        try {
            return (int) POSIX_FALLOCATE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw rethrow("posix_fallocate", t);
        }
    }

    @Override
    public int fallocate(int fd, int mode, long offset, long length) {
        try {
            return (int) FALLOCATE.invokeExact(state(), fd, mode, offset, length);
        } catch (Throwable t) {
            throw rethrow("fallocate", t);
        }
    }

    @Override
    public int fchmod(int fd, int mode) {
        try {
            return (int) FCHMOD.invokeExact(state(), fd, mode);
        } catch (Throwable t) {
            throw rethrow("fchmod", t);
        }
    }

    @Override
    public int fstat(int fd, long statbuf) {
        try {
            return (int) FSTAT.invokeExact(state(), fd, statbuf);
        } catch (Throwable t) {
            throw rethrow("fstat", t);
        }
    }

    @Override
    public int flock(int fd, int operation) {
        try {
            return (int) FLOCK.invokeExact(state(), fd, operation);
        } catch (Throwable t) {
            throw rethrow("flock", t);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, long flock) {
        try {
            return (int) FCNTL.invokeExact(state(), fd, cmd, flock);
        } catch (Throwable t) {
            throw rethrow("fcntl", t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state(), fd);
        } catch (Throwable t) {
            throw rethrow("close", t);
        }
    }

    @Override
    public int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow("geteuid", t);
        }
    }

    @Override
    public long confstr(int name, long buf, long len) {
        try {
            return (long) CONFSTR.invokeExact(state(), name, buf, len);
        } catch (Throwable t) {
            throw rethrow("confstr", t);
        }
    }

    @Override
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(state(), addr, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw rethrow("mmap", t);
        }
    }

    @Override
    public int munmap(long addr, long length) {
        try {
            return (int) MUNMAP.invokeExact(state(), addr, length);
        } catch (Throwable t) {
            throw rethrow("munmap", t);
        }
    }

    @Override
    public long futex(long uaddr, int op, int val, long timeout) {
        try {
            return (long) SYSCALL.invokeExact(state(), Linux.SYS_FUTEX, uaddr, (long) op, (long) val, timeout, 0L, 0L);
        } catch (Throwable t) {
            throw rethrow("syscall", t);
        }
    }

    @Override
    public int inotify_init1(int flags) {
        try {
            return (int) INOTIFY_INIT1.invokeExact(state(), flags);
        } catch (Throwable t) {
            throw rethrow("inotify_init1", t);
        }
    }

    @Override
    public int inotify_add_watch(int fd, String pathname, int mask) {
        try (Arena a = Arena.ofConfined()) {
            return (int) INOTIFY_ADD_WATCH.invokeExact(state(), fd, a.allocateFrom(pathname).address(), mask);
        } catch (Throwable t) {
            throw rethrow("inotify_add_watch", t);
        }
    }

    @Override
    public int inotify_rm_watch(int fd, int wd) {
        try {
            return (int) INOTIFY_RM_WATCH.invokeExact(state(), fd, wd);
        } catch (Throwable t) {
            throw rethrow("inotify_rm_watch", t);
        }
    }

    @Override
    public long read(int fd, long buf, long count) {
        try {
            return (long) READ.invokeExact(state(), fd, buf, count);
        } catch (Throwable t) {
            throw rethrow("read", t);
        }
    }

    @Override
    public int poll(long fds, long nfds, int timeout) {
        try {
            return (int) POLL.invokeExact(state(), fds, nfds, timeout);
        } catch (Throwable t) {
            throw rethrow("poll", t);
        }
    }

    @Override
    public int pthread_mutexattr_init(long attr) {
        try {
            return (int) MUTEXATTR_INIT.invokeExact(attr);
        } catch (Throwable t) {
            throw rethrow("pthread_mutexattr_init", t);
        }
    }

    @Override
    public int pthread_mutexattr_settype(long attr, int type) {
        try {
            return (int) MUTEXATTR_SETTYPE.invokeExact(attr, type);
        } catch (Throwable t) {
            throw rethrow("pthread_mutexattr_settype", t);
        }
    }

    @Override
    public int pthread_mutexattr_setpshared(long attr, int pshared) {
        try {
            return (int) MUTEXATTR_SETPSHARED.invokeExact(attr, pshared);
        } catch (Throwable t) {
            throw rethrow("pthread_mutexattr_setpshared", t);
        }
    }

    @Override
    public int pthread_mutexattr_setrobust(long attr, int robust) {
        try {
            return (int) MUTEXATTR_SETROBUST.invokeExact(attr, robust);
        } catch (Throwable t) {
            throw rethrow("pthread_mutexattr_setrobust", t);
        }
    }

    @Override
    public int pthread_mutexattr_destroy(long attr) {
        try {
            return (int) MUTEXATTR_DESTROY.invokeExact(attr);
        } catch (Throwable t) {
            throw rethrow("pthread_mutexattr_destroy", t);
        }
    }

    @Override
    public int pthread_mutex_init(long mutex, long attr) {
        try {
            return (int) MUTEX_INIT.invokeExact(mutex, attr);
        } catch (Throwable t) {
            throw rethrow("pthread_mutex_init", t);
        }
    }

    @Override
    public int pthread_mutex_trylock(long mutex) {
        try {
            return (int) MUTEX_TRYLOCK.invokeExact(mutex);
        } catch (Throwable t) {
            throw rethrow("pthread_mutex_trylock", t);
        }
    }

    @Override
    public int pthread_mutex_unlock(long mutex) {
        try {
            return (int) MUTEX_UNLOCK.invokeExact(mutex);
        } catch (Throwable t) {
            throw rethrow("pthread_mutex_unlock", t);
        }
    }

    @Override
    public int pthread_mutex_consistent(long mutex) {
        try {
            return (int) MUTEX_CONSISTENT.invokeExact(mutex);
        } catch (Throwable t) {
            throw rethrow("pthread_mutex_consistent", t);
        }
    }

    @Override
    public int errno() {
        return state().get(JAVA_INT, ERRNO_OFFSET);
    }
}
