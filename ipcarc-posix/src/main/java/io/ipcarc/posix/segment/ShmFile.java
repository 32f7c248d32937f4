package io.ipcarc.posix.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scratch;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Errors;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.NativeOps;

/** An open file descriptor of a shared-memory object, and what can be asked of it. */
public final class ShmFile implements AutoCloseable {
    /** Where glibc keeps POSIX shared-memory objects. */
    static final Path SHM_DIR = Path.of("/dev/shm");
    private static final ThreadLocal<MemoryView> STAT = ThreadLocal.withInitial(() -> Scratch.of(Linux.STAT_BYTES));

    /**
     * What fstat says of the object.
     *
     * @param size bytes
     * @param inode inode number
     * @param mode permission bits and file type
     * @param uid owner
     * @param gid group
     * @param modifiedMillis last modification, ms since the epoch
     */
    record Stat(long size, long inode, int mode, int uid, int gid, long modifiedMillis) {
    }

    /** The file descriptor. */
    public final int fd;
    /** The segment's name. */
    public final String name;

    private ShmFile(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * @param name normalised segment name
     * @param flags open flags
     * @param mode file mode for O_CREAT
     * @return the open file, or {@code null} with {@link NativeOps#errno()} set
     */
    public static ShmFile open(String name, int flags, int mode) {
        int fd = Binding.C.shm_open(name, flags, mode);
        return fd < 0 ? null : new ShmFile(fd, name);
    }

    /** @return what fstat says of the object now */
    Stat stat() {
        MemoryView st = STAT.get();
        if (Binding.C.fstat(fd, st.addressOf(0)) != 0) {
            throw Errors.syscall("fstat", Binding.C.errno(), name, null);
        }
        return new Stat(st.getLong(Linux.STAT_SIZE), st.getLong(Linux.STAT_INO), st.getInt(Linux.STAT_MODE),
                st.getInt(Linux.STAT_UID), st.getInt(Linux.STAT_GID),
                st.getLong(Linux.STAT_MTIME) * 1000 + st.getLong(Linux.STAT_MTIME + 8) / 1_000_000);
    }

    /** @return the object's size in bytes */
    long size() {
        return stat().size();
    }

    /** @return the object's inode number */
    long inode() {
        return stat().inode();
    }

    /** @return milliseconds since the object was last modified */
    long ageMillis() {
        return Math.max(0, System.currentTimeMillis() - stat().modifiedMillis());
    }

    /**
     * Whether the creator still holds its exclusive flock, that is: is alive and not done.
     *
     * @return true if an exclusive lock is held by someone else
     */
    boolean creatorActive() {
        if (Binding.C.flock(fd, Linux.LOCK_SH | Linux.LOCK_NB) == 0) {
            Binding.C.flock(fd, Linux.LOCK_UN);
            return false;
        }
        return true;
    }

    /** @return whether this call got the exclusive flock without waiting */
    boolean tryLockExclusive() {
        return Binding.C.flock(fd, Linux.LOCK_EX | Linux.LOCK_NB) == 0;
    }

    /** Takes the exclusive flock, waiting for shared probes to let go. */
    void lockExclusive() {
        if (Binding.C.flock(fd, Linux.LOCK_EX) != 0) {
            throw Errors.syscall("flock", Binding.C.errno(), name, null);
        }
    }

    /** Gives up this file's flock (the creator's, once the segment is ready). */
    void unlock() {
        if (Binding.C.flock(fd, Linux.LOCK_UN) != 0) {
            throw Errors.syscall("flock", Binding.C.errno(), name, "operation=LOCK_UN");
        }
    }

    /**
     * @param name a segment name
     * @return the inode the name refers to now, or -1 if none
     */
    static long inodeOfName(String name) {
        try {
            Object ino = Files.getAttribute(SHM_DIR.resolve(name.substring(1)), "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return ((Number) ino).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        Binding.C.close(fd);
    }
}
