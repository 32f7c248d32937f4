package io.ipcarc.posix.sys;

/**
 * The Linux and glibc constants IpcArc uses (values for x86_64 and aarch64, which agree on all
 * of them except the futex system call number and the layout of {@code struct stat}), and the
 * names of error numbers. Binding-neutral: no foreign library is touched here.
 */
public final class Linux {
    /** The page size IpcArc's layouts assume (x86_64 and aarch64 with 4 KiB pages). */
    public static final int PAGE_SIZE = 4096;
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final long MAP_FAILED = -1L;
    /** fallocate(2): keep the file's size. */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** fallocate(2): free the range's pages (tmpfs gives them back at once); reads then see zeros. */
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    /** fcntl command: test for an open-file-description lock (Linux 3.15+). */
    public static final int F_OFD_GETLK = 36;
    /** fcntl command: take or release an open-file-description lock without waiting. */
    public static final int F_OFD_SETLK = 37;
    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    public static final short SEEK_SET = 0;

    /** struct flock, the same on x86_64 and aarch64: l_type s16 @0, l_whence s16 @2, l_start s64 @8, l_len s64 @16, l_pid s32 @24. */
    public static final int FLOCK_TYPE = 0;
    public static final int FLOCK_WHENCE = 2;
    public static final int FLOCK_START = 8;
    public static final int FLOCK_LEN = 16;
    public static final int FLOCK_PID = 24;
    public static final int FLOCK_SIZE = 32;

    public static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    /** SYS_futex: 202 on x86_64, 98 on aarch64. */
    public static final long SYS_FUTEX = AARCH64 ? 98 : 202;
    /** FUTEX_WAIT without FUTEX_PRIVATE_FLAG: works across processes sharing the page. */
    public static final int FUTEX_WAIT = 0;
    /** FUTEX_WAKE without FUTEX_PRIVATE_FLAG. */
    public static final int FUTEX_WAKE = 1;

    /** inotify_init1 flag: close the descriptor on exec (the value of O_CLOEXEC). */
    public static final int IN_CLOEXEC = 02000000;
    /** inotify event: the file was modified (write, truncate, ftruncate, fallocate). */
    public static final int IN_MODIFY = 0x2;
    /** inotify event: metadata changed (chmod, link count). */
    public static final int IN_ATTRIB = 0x4;
    /** inotify event: the watch was removed (rm_watch, or the file is gone). */
    public static final int IN_IGNORED = 0x8000;
    /** inotify event: the event queue overflowed (wd is -1); events were lost. */
    public static final int IN_Q_OVERFLOW = 0x4000;
    /** struct inotify_event: int wd @0, u32 mask @4, u32 cookie @8, u32 len @12, then len bytes of name. */
    public static final int INOTIFY_EVENT_BYTES = 16;
    /** struct pollfd: int fd @0, short events @4, short revents @6. */
    public static final int POLLFD_BYTES = 8;
    public static final short POLLIN = 1;

    /** struct stat (x86_64 / aarch64 generic layout): st_ino u64 @8, st_mode u32, st_uid u32, st_gid u32, st_size s64 @48. */
    public static final int STAT_INO = 8;
    public static final int STAT_MODE = AARCH64 ? 16 : 24;
    public static final int STAT_UID = AARCH64 ? 24 : 28;
    public static final int STAT_GID = AARCH64 ? 28 : 32;
    public static final int STAT_SIZE = 48;
    /** st_mtim.tv_sec (the modification time's seconds), then tv_nsec 8 bytes further. */
    public static final int STAT_MTIME = 88;
    /** Bytes to reserve for a struct stat: 144 on x86_64, 128 on aarch64. */
    public static final int STAT_BYTES = 144;

    /** confstr name: the C library and its version, such as {@code glibc 2.36} (a GNU extension). */
    public static final int CS_GNU_LIBC_VERSION = 2;

    public static final int PTHREAD_PROCESS_SHARED = 1;
    public static final int PTHREAD_MUTEX_ROBUST = 1;
    public static final int PTHREAD_MUTEX_ERRORCHECK = 2;
    public static final int CLOCK_MONOTONIC = 1;
    /** Bytes to reserve for a pthread_mutexattr_t (4 on glibc, 16 on macOS). */
    public static final int MUTEXATTR_BYTES = 64;
    /** struct timespec: tv_sec s64, tv_nsec s64. */
    public static final int TIMESPEC_BYTES = 16;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EDEADLK = 35;
    public static final int ETIMEDOUT = 110;
    public static final int EOWNERDEAD = 130;
    public static final int ENOTRECOVERABLE = 131;

    private Linux() {
    }

    /**
     * @param errno an error number
     * @return its symbolic name, such as {@code EACCES}, or {@code errno<N>}
     */
    public static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 3 -> "ESRCH";
            case 4 -> "EINTR";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 7 -> "E2BIG";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 19 -> "ENODEV";
            case 20 -> "ENOTDIR";
            case 21 -> "EISDIR";
            case 22 -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 27 -> "EFBIG";
            case 28 -> "ENOSPC";
            case 30 -> "EROFS";
            case 34 -> "ERANGE";
            case 35 -> "EDEADLK";
            case 36 -> "ENAMETOOLONG";
            case 37 -> "ENOLCK";
            case 38 -> "ENOSYS";
            case 75 -> "EOVERFLOW";
            case 95 -> "EOPNOTSUPP";
            case 110 -> "ETIMEDOUT";
            case 122 -> "EDQUOT";
            case 130 -> "EOWNERDEAD";
            case 131 -> "ENOTRECOVERABLE";
            default -> "errno" + errno;
        };
    }
}
