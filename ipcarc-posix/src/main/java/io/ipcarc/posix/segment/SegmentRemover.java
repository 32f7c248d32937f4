package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.*;

import io.ipcarc.IpcArcException;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInUseException;
import io.ipcarc.SegmentInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Errors;
import io.ipcarc.posix.sys.Linux;

/**
 * Removes an inspected segment's name safely: only the very object that was inspected (same
 * inode), only an IpcArc segment, only if this process may unlink the name, and, unless forced,
 * only while no live process holds it. The holders are checked again, the state set to UNLINKED
 * and the name unlinked all under the segment's admin mutex, which is what a loader takes to add
 * itself, so no process can attach between the check and the unlink. Nothing is changed unless
 * the removal can finish.
 */
public final class SegmentRemover {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final int S_ISVTX = 01000;

    private SegmentRemover() {
    }

    /**
     * Removes a segment that was inspected, under the checks of docs/design.md ("Remove").
     *
     * @param inspected what {@code IpcArcs.inspect} found
     * @param force whether live holders are no reason to refuse
     * @return what happened
     */
    public static Removal remove(SegmentInfo inspected, boolean force) {
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
            ShmFile.Stat st = file.stat();
            if (st.inode() != inspected.inode()) {
                return Removal.REPLACED;
            }
            if (st.size() != inspected.fileSize()) {
                throw new IpcArcException("segment changed size since it was inspected, not removed: name=" + name
                        + ", size=" + st.size() + ", inspected=" + inspected.fileSize(), name);
            }
            checkMayUnlink(name, st);
            if (!"ready".equals(inspected.state())) {
                return SegmentOpener.removeIfAbandoned(name) ? Removal.REMOVED : refuseUnready(inspected);
            }
            if (st.size() > MAX_SEGMENT_BYTES) {
                throw new IpcArcException("not an IpcArc segment, never removed: name=" + name + ", size=" + st.size(), name);
            }
            MappedMemory memory = MappedMemory.map(file.fd, file.name, st.size(), null);
            try {
                return removeLocked(memory, file, st.size(), force, inspected.isOrphan());
            } catch (InternalError e) {
                throw SegmentOpener.truncated(name, e);
            } finally {
                memory.unmapNow();
            }
        }
    }

    /**
     * The kernel's rule for unlinking from /dev/shm (a sticky, world-writable directory): the
     * directory must be writable, and the caller must own the file or the directory, or be root.
     * Checked first, so that a removal that would fail with EPERM changes nothing.
     */
    private static void checkMayUnlink(String name, ShmFile.Stat file) {
        int euid = Binding.C.geteuid();
        if (euid == 0) {
            return;
        }
        int dirUid;
        int dirMode;
        try {
            Map<String, Object> a = Files.readAttributes(ShmFile.SHM_DIR, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            dirUid = ((Number) a.get("uid")).intValue();
            dirMode = ((Number) a.get("mode")).intValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IpcArcException("cannot check the right to unlink: name=" + name + ", dir=" + ShmFile.SHM_DIR
                    + ", cause=" + e, name, e);
        }
        boolean sticky = (dirMode & S_ISVTX) != 0;
        boolean mayUnlink = Files.isWritable(ShmFile.SHM_DIR) && (!sticky || euid == file.uid() || euid == dirUid);
        if (!mayUnlink) {
            throw new IpcArcException("not allowed to unlink, nothing changed: errno=EPERM, name=" + name + ", uid=" + euid
                    + ", owner=" + file.uid() + " (" + ShmFile.SHM_DIR + " is " + (sticky ? "sticky" : "not writable")
                    + ": only the file's owner, the directory's owner or root may remove it)", name, Linux.EPERM, "EPERM", null);
        }
    }

    private static Removal refuseUnready(SegmentInfo s) {
        throw new SegmentInUseException("segment is not ready and its creator or last closer is alive, not removed: name="
                + s.name() + ", state=" + s.state() + ", creatorPid=" + s.creatorPid(), s.name());
    }

    private static Removal removeLocked(MappedMemory memory, ShmFile file, long size, boolean force, boolean orphan) {
        String name = file.name;
        MemoryView h = memory.view();
        if (h.getLongAcquire(MAGIC_OFFSET) != MAGIC) {
            throw new IpcArcException("not an IpcArc segment, never removed: name=" + name, name);
        }
        SegmentHeader header = SegmentHeader.read(h);
        String problem = header.problem(name, size);
        if (problem != null) {
            throw new IpcArcException("not removed: " + problem, name);
        }
        SegmentAdmin admin = new SegmentAdmin(memory, h, file, null, () -> SegmentOpener.checkSize(file, size));
        admin.lock();
        try {
            if (h.getIntAcquire(STATE_OFFSET) != STATE_READY) {
                return Removal.GONE; // its last holder closed it meanwhile
            }
            List<Integer> live = livePids(h, admin);
            if (!live.isEmpty() && !force) {
                throw new SegmentInUseException("segment has live holders, not removed: name=" + name + ", pids=" + live
                        + " (force=true, or ipcarc rm --force, removes it anyway)", name);
            }
            if (orphan && !force && noHolder(h)) {
                // Its dead holders are gone: a process adopted it and its last close kept it (retained).
                throw new SegmentInUseException("segment was adopted and kept by its last close since it was inspected as"
                        + " an orphan, not removed: name=" + name + " (retained now: ipcarc rm run again removes it)", name);
            }
            if (ShmFile.inodeOfName(name) != file.inode()) {
                return Removal.REPLACED;
            }
            if (Binding.C.shm_unlink(name) != 0) {
                int errno = Binding.C.errno();
                if (errno == Linux.ENOENT) {
                    return Removal.GONE;
                }
                throw Errors.syscall("shm_unlink", errno, name, "nothing changed");
            }
            // Unlinked first, marked second: a failed unlink leaves the segment exactly as it was.
            h.putIntRelease(STATE_OFFSET, STATE_UNLINKED);
            LOG.log(System.Logger.Level.INFO, "removed segment: name={0}, liveHolders={1}, forced={2}", name, live, force);
            return Removal.REMOVED;
        } finally {
            admin.unlock();
        }
    }

    /** @return whether the holder table has no holder at all, live or dead */
    private static boolean noHolder(MemoryView h) {
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            if (h.getInt(holderSlotOffset(i) + HOLDER_PID) != 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Integer> livePids(MemoryView h, SegmentAdmin admin) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int pid = h.getInt(holderSlotOffset(i) + HOLDER_PID);
            if (pid != 0 && admin.isAlive(i)) {
                live.add(pid);
            }
        }
        return live;
    }
}
