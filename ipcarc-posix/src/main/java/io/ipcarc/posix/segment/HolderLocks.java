package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_SLOT_SIZE;
import static io.ipcarc.posix.segment.SegmentDescriptor.holderSlotOffset;

import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scratch;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;

/**
 * The liveness token of a holder process: an open-file-description (OFD) write lock on the
 * bytes of its own slot in the holder table (Linux 3.15+). The kernel keeps the lock exactly as
 * long as the open file description that took it exists: it goes away when the holder process
 * dies (by SIGKILL too) and not before, and it is visible to every process that opens the object,
 * in any PID namespace. So a holder is dead exactly when the lock on its slot can be taken.
 *
 * <p>OFD locks are advisory and independent of mmap, of flock and of the bytes they cover.
 */
public final class HolderLocks {
    private static final ThreadLocal<MemoryView> FLOCK = ThreadLocal.withInitial(() -> Scratch.of(Linux.FLOCK_SIZE));

    private HolderLocks() {
    }

    /**
     * Takes the token of slot {@code slot} with the open file description of {@code fd}.
     *
     * @return 0, or the errno (EAGAIN: another open file description holds it)
     */
    static int lock(int fd, int slot) {
        return set(fd, slot, Linux.F_WRLCK);
    }

    /**
     * Gives the token of slot {@code slot} back.
     *
     * @return 0 or the errno
     */
    static int unlock(int fd, int slot) {
        return set(fd, slot, Linux.F_UNLCK);
    }

    /**
     * Whether an open file description other than {@code fd}'s holds the token of {@code slot}.
     *
     * @param fd any descriptor of the object, read-only is enough
     * @param slot the slot index
     * @return true if the slot's holder is alive; also true if the kernel cannot say (so that no
     *     live holder is ever reaped on an error)
     */
    static boolean isHeld(int fd, int slot) {
        MemoryView f = describe(slot, Linux.F_WRLCK);
        if (Binding.C.fcntl(fd, Linux.F_OFD_GETLK, f.addressOf(0)) != 0) {
            return true;
        }
        return f.getShort(Linux.FLOCK_TYPE) != Linux.F_UNLCK;
    }

    private static int set(int fd, int slot, short type) {
        MemoryView f = describe(slot, type);
        return Binding.C.fcntl(fd, Linux.F_OFD_SETLK, f.addressOf(0)) == 0 ? 0 : Binding.C.errno();
    }

    private static MemoryView describe(int slot, short type) {
        MemoryView f = FLOCK.get();
        f.setMemory(0, Linux.FLOCK_SIZE, (byte) 0); // l_pid must be 0 for OFD locks
        f.putShort(Linux.FLOCK_TYPE, type);
        f.putShort(Linux.FLOCK_WHENCE, Linux.SEEK_SET);
        f.putLong(Linux.FLOCK_START, holderSlotOffset(slot));
        f.putLong(Linux.FLOCK_LEN, HOLDER_SLOT_SIZE);
        return f;
    }
}
