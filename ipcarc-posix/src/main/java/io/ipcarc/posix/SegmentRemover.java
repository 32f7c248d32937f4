package io.ipcarc.posix;

import static io.ipcarc.posix.SegmentDescriptor.*;

import io.ipcarc.IpcArcException;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInUseException;
import io.ipcarc.SegmentInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes an inspected segment's name safely: only the very object that was inspected (same
 * inode), only an IpcArc segment, and, unless forced, only while no live process holds it. The
 * holders are checked again, the state set to UNLINKED and the name unlinked all under the
 * segment's admin mutex, which is what a loader takes to add itself, so no process can attach
 * between the check and the unlink.
 */
final class SegmentRemover {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");

    private SegmentRemover() {
    }

    static Removal remove(SegmentInfo inspected, boolean force) {
        String name = inspected.name();
        ShmFile file = ShmFile.open(name, Linux.O_RDWR, 0);
        if (file == null) {
            int errno = Binding.C.errno();
            if (errno == Linux.ENOENT) {
                return Removal.GONE;
            }
            throw Errors.syscall("shm_open", errno, name, "flags=O_RDWR");
        }
        try (file) {
            if (file.inode() != inspected.inode()) {
                return Removal.REPLACED;
            }
            long size = file.size();
            if (size != inspected.fileSize()) {
                throw new IpcArcException("segment changed size since it was inspected, not removed: name=" + name
                        + ", size=" + size + ", inspected=" + inspected.fileSize(), name);
            }
            if (!"ready".equals(inspected.state())) {
                return SegmentOpener.removeIfAbandoned(name) ? Removal.REMOVED : refuseUnready(inspected);
            }
            MappedMemory memory = MappedMemory.map(file, size);
            try {
                return removeLocked(memory.view(), file, force);
            } finally {
                memory.unmapNow();
            }
        }
    }

    private static Removal refuseUnready(SegmentInfo s) {
        throw new SegmentInUseException("segment is not ready and its creator or last closer is alive, not removed: name="
                + s.name() + ", state=" + s.state() + ", creatorPid=" + s.creatorPid(), s.name());
    }

    private static Removal removeLocked(MemoryView h, ShmFile file, boolean force) {
        String name = file.name;
        if (h.getLongAcquire(MAGIC_OFFSET) != MAGIC) {
            throw new IpcArcException("not an IpcArc segment, never removed: name=" + name, name);
        }
        SegmentAdmin admin = new SegmentAdmin(h, name);
        admin.lock();
        try {
            if (h.getIntAcquire(STATE_OFFSET) != STATE_READY) {
                return Removal.GONE; // its last holder closed it meanwhile
            }
            List<Integer> live = livePids(h);
            if (!live.isEmpty() && !force) {
                throw new SegmentInUseException("segment has live holders, not removed: name=" + name + ", pids=" + live
                        + " (force removes it anyway)", name);
            }
            if (ShmFile.inodeOfName(name) != file.inode()) {
                return Removal.REPLACED;
            }
            h.putIntRelease(STATE_OFFSET, STATE_UNLINKED);
            if (Binding.C.shm_unlink(name) != 0) {
                int errno = Binding.C.errno();
                if (errno == Linux.ENOENT) {
                    return Removal.GONE;
                }
                throw Errors.syscall("shm_unlink", errno, name, null);
            }
            LOG.log(System.Logger.Level.INFO, "removed segment: name={0}, liveHolders={1}, forced={2}", name, live, force);
            return Removal.REMOVED;
        } finally {
            admin.unlock();
        }
    }

    private static List<Integer> livePids(MemoryView h) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            int pid = h.getInt(slot + HOLDER_PID);
            if (pid != 0 && ProcessIds.isAlive(pid, h.getLong(slot + HOLDER_START))) {
                live.add(pid);
            }
        }
        return live;
    }
}
