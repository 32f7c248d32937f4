package io.ipcarc.posix;

import java.util.HashMap;
import java.util.Map;

/**
 * This process's attachment to one segment (one object, by inode), shared by all its handles of
 * it: the open file description that holds the process's liveness token ({@link HolderLocks}),
 * the holder slot it claimed, and which thread of the process holds the segment's user mutex.
 *
 * <p>The file stays open while a handle of the segment is open or a load of it is under way in
 * this process; closing it gives the token back to the kernel.
 */
final class Attachment {
    private static final Map<Long, Attachment> OPEN = new HashMap<>();

    final String name;
    final long inode;
    /** The open file description holding the token. */
    final ShmFile file;
    /** Handles and loads in progress; guarded by {@link #OPEN}. */
    private int users;
    /** The claimed holder slot, -1 if none; changed under the segment's admin mutex. */
    int slot = -1;
    /** The slot's generation when this process claimed it; changed under the admin mutex. */
    int generation;
    /**
     * The id ({@link Thread#getId()}) of the thread of this process that holds the segment's user
     * mutex, or 0. Written only by that thread (after locking, and before unlocking), so a plain
     * field suffices: a thread that reads its own id here wrote it, and no other thread ever
     * compares it with anything but its own. An id, not the {@code Thread}: a reference stored
     * into this long-lived object would cost G1's cross-region write barrier on every acquire
     * (a store-load fence on JDK 25), which measured as +20 ns per acquire+close once the
     * object had been promoted.
     */
    long lockOwner;

    private Attachment(ShmFile file, long inode) {
        this.name = file.name;
        this.inode = inode;
        this.file = file;
    }

    /**
     * Joins this process's attachment to the object open as {@code file}, creating it if there
     * is none; the attachment then owns {@code file} ({@link #owns}), otherwise the caller closes it.
     *
     * @param file a freshly opened descriptor of the object
     * @param inode its inode
     * @return the attachment, counted as used until {@link #leave()}
     */
    static Attachment join(ShmFile file, long inode) {
        synchronized (OPEN) {
            Attachment a = OPEN.get(inode);
            if (a == null) {
                a = new Attachment(file, inode);
                OPEN.put(inode, a);
            }
            a.users++;
            return a;
        }
    }

    /**
     * @param f a descriptor given to {@link #join}
     * @return whether this attachment kept it
     */
    boolean owns(ShmFile f) {
        return file == f;
    }

    /** Ends one use (a released handle, or a load that failed); the last one closes the file. */
    void leave() {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            if (OPEN.get(inode) == this) {
                OPEN.remove(inode);
            }
        }
        file.close();
    }

    /**
     * @return this process's holder id: the slot's generation in the high 32 bits, the slot index
     *     in the low ones; 0 if no slot is claimed
     */
    long holderId() {
        int s = slot;
        return s < 0 ? 0 : (long) generation << 32 | s;
    }
}
