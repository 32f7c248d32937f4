package io.ipcarc.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/** An open file descriptor of a shared-memory object, and what can be asked of it. */
final class ShmFile implements AutoCloseable {
    /** Where glibc keeps POSIX shared-memory objects. */
    static final Path SHM_DIR = Path.of("/dev/shm");

    final int fd;
    final String name;

    private ShmFile(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * @param name normalised segment name
     * @param flags open flags
     * @param mode file mode for O_CREAT
     * @return the open file, or {@code null} with {@link Native#lastErrno()} set
     */
    static ShmFile open(String name, int flags, int mode) {
        int fd = Native.LIBC.shm_open(name, flags, mode);
        return fd < 0 ? null : new ShmFile(fd, name);
    }

    /** @return the object's size in bytes */
    long size() {
        long s = Native.LIBC.lseek(fd, 0, Native.SEEK_END);
        if (s < 0) {
            throw Errors.syscall("lseek", Native.lastErrno(), name, null);
        }
        return s;
    }

    /** @return the object's inode number, or -1 if it cannot be read */
    long inode() {
        return inodeOf(Path.of("/proc/self/fd/" + fd), true);
    }

    /** @return milliseconds since the object was last modified, or 0 if unknown */
    long ageMillis() {
        try {
            FileTime t = Files.getLastModifiedTime(Path.of("/proc/self/fd/" + fd));
            return Math.max(0, System.currentTimeMillis() - t.toMillis());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Whether the creator still holds its exclusive flock, that is: is alive and not done.
     *
     * @return true if an exclusive lock is held by someone else
     */
    boolean creatorActive() {
        if (Native.LIBC.flock(fd, Native.LOCK_SH | Native.LOCK_NB) == 0) {
            Native.LIBC.flock(fd, Native.LOCK_UN);
            return false;
        }
        return true;
    }

    /** @return whether this call got the exclusive flock without waiting */
    boolean tryLockExclusive() {
        return Native.LIBC.flock(fd, Native.LOCK_EX | Native.LOCK_NB) == 0;
    }

    /** Takes the exclusive flock, waiting for shared probes to let go. */
    void lockExclusive() {
        if (Native.LIBC.flock(fd, Native.LOCK_EX) != 0) {
            throw Errors.syscall("flock", Native.lastErrno(), name, null);
        }
    }

    /**
     * @param name a segment name
     * @return the inode the name refers to now, or -1 if none
     */
    static long inodeOfName(String name) {
        return inodeOf(SHM_DIR.resolve(name.substring(1)), false);
    }

    private static long inodeOf(Path p, boolean follow) {
        try {
            Object ino = follow ? Files.getAttribute(p, "unix:ino") : Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return ((Number) ino).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
