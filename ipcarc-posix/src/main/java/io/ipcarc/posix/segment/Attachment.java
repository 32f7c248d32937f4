package io.ipcarc.posix.segment;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.posix.sys.RawMemory;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.MutexWords;
import io.ipcarc.posix.memory.MappingOwner;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.PendingFaults;

/**
 * This process's attachment to one segment (one object, by inode), shared by all its handles of
 * it: the open file description that holds the process's liveness token ({@link HolderLocks}),
 * the holder slot it claimed, and which thread of the process holds the segment's user mutex.
 *
 * <p>The file stays open while a handle of the segment is open or a load of it is under way in
 * this process; closing it gives the token back to the kernel.
 *
 * <p>It also knows the object's size, and is where finding it truncated or resized by another
 * process (by a slow path's {@code fstat}, by a fault, or by the {@link TruncationWatcher}) is
 * recorded once for all handles of the process: every mapping of the object is then marked
 * ({@link MappedMemory#markResized}) and every later use fails with the same
 * {@link CorruptSegmentException}.
 */
public final class Attachment implements MappingOwner {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final Map<Long, Attachment> OPEN = new HashMap<>();

    /** The segment's name. */
    public final String name;
    /** The object's inode: one attachment per object and process. */
    public final long inode;
    /** The open file description holding the token. */
    final ShmFile file;
    /** Handles and loads in progress; guarded by {@link #OPEN}. */
    private int users;
    /** The claimed holder slot, -1 if none; changed under the segment's admin mutex. */
    public int slot = -1;
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
    public long lockOwner;

    /**
     * This process's open handles of the segment, the count its holder slot must show; changed
     * under the segment's admin mutex. The slot's word is shared memory another process could
     * scribble on; this one is the process's own, and wins.
     */
    long handles;
    /** What this process counted for the segment on its slow paths (lock waits, owner deaths, reaps). */
    public final SegmentStats stats = new SegmentStats();
    /** The object's size in its header, once known (-1 before); every other size found is damage. */
    private volatile long expectedSize = -1;
    /** What was found when the object no longer had that size; {@code null} while it has. */
    private volatile Resized resized;
    /** Set under this object's monitor once the file is closed: the watcher must not fstat its number any more. */
    private boolean fileClosed;
    /** The mappings of this process's handles of the object (and of a load in progress). */
    private final Set<MappedMemory> mappings = ConcurrentHashMap.newKeySet();
    /** The truncation watcher's id for this object, 0 if none. */
    int watch;

    /** What was found when the object no longer had the size in its header. */
    static final class Resized {
        private final String name;
        private final long expected;
        private final long found;
        /** The threads that met the damage already ({@link PendingFaults}). */
        private final Set<Long> delivered = ConcurrentHashMap.newKeySet();

        Resized(String name, long expected, long found) {
            this.name = name;
            this.expected = expected;
            this.found = found;
        }

        /** @return the object's size when it was found */
        long found() {
            return found;
        }

        /**
         * @return what every use of a handle of the object throws; the first time a thread asks,
         *     a fault it made before (and that HotSpot would report later) is delivered and dropped here
         */
        CorruptSegmentException error() {
            if (delivered.add(Thread.currentThread().getId())) {
                PendingFaults.deliver();
            }
            return new CorruptSegmentException((found < expected ? "segment truncated by another process: name="
                    : "segment resized by another process: name=") + name + ", size=" + found + ", expected=" + expected
                    + " (its memory is gone: every use of its handles fails; close them)", name);
        }
    }

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
        TruncationWatcher.forget(this);
        synchronized (this) {
            fileClosed = true;
            file.close();
        }
    }

    /**
     * Records the object's size from its header, and has the {@link TruncationWatcher} watch it.
     * Call once the header was read (or written, by the creator).
     *
     * @param size the size in the header
     */
    void expectSize(long size) {
        if (expectedSize < 0) {
            expectedSize = size;
            TruncationWatcher.watch(this);
        }
    }

    /** @return the size in the header, -1 if not known yet */
    long expectedSize() {
        return expectedSize;
    }

    @Override
    public void register(MappedMemory m) {
        mappings.add(m);
        Resized r = resized;
        if (r != null) {
            m.markResized(r.found());
        }
    }

    @Override
    public void unregister(MappedMemory m) {
        mappings.remove(m);
    }

    /**
     * The check every slow path makes before it touches the mapping again (after a sleep, before
     * taking a pthread mutex that may have been waited for, before releasing a reference).
     *
     * @throws CorruptSegmentException if the object was found, now or before, not to have its size
     */
    public void checkSize() {
        Resized r = resized;
        if (r != null) {
            throw r.error();
        }
        long size = file.size();
        if (size != expectedSize && expectedSize >= 0) {
            throw resized(size).error();
        }
    }

    /** @return what was found, or {@code null} while the object has its size */
    Resized resizedOrNull() {
        return resized;
    }

    /**
     * Writes into a replaced first page the robust-list nodes of the mutexes a thread of this
     * process locked through that mapping, from the links it noted when it locked (lock and owner
     * words 0, so that the kernel's walk at the thread's exit skips the node and glibc is never
     * called on it again): glibc's later list operations of that thread and the kernel's walk
     * find a readable node there. Harmless when nobody holds the mutex any more (no list points
     * there); needed when someone does, and the holder may be between clearing its holder field
     * and its unlock, so the recorded links decide.
     */
    @Override
    public boolean firstPageReplaced(MappedMemory m, RawMemory raw) {
        return writeListNode(raw, SegmentDescriptor.USER_MUTEX_OFFSET, m.hold) | writeListNode(raw, SegmentDescriptor.ADMIN_MUTEX_OFFSET,
                m.adminHold);
    }

    private static boolean writeListNode(RawMemory w, int mutex, MappedMemory.Hold h) {
        if (h.prev == 0 && h.next == 0) {
            return false;
        }
        w.putInt(mutex + MutexWords.LOCK_WORD, 0);
        w.putInt(mutex + MutexWords.OWNER_WORD, 0);
        w.putInt(mutex + MutexWords.KIND_WORD, MutexWords.KIND);
        w.putLong(mutex + MutexIntegrity.LIST_PREV, h.prev);
        w.putLong(mutex + MutexIntegrity.LIST_NEXT, h.next);
        return true;
    }

    /** @return the exception every use of a handle throws once the object was found resized */
    public CorruptSegmentException resizedError() {
        Resized r = resized;
        return r != null ? r.error() : new CorruptSegmentException("segment damaged: name=" + name, name);
    }

    /**
     * An access to a mapping faulted (the JVM turned a SIGBUS into {@link InternalError}): finds
     * the object's size, records the truncation if there is one, and reports it.
     *
     * @param e the JVM's report
     * @return the exception to throw
     */
    public CorruptSegmentException faulted(InternalError e) {
        Resized r = resized;
        if (r == null) {
            long size = sizeIfOpen();
            if (size >= 0 && size != expectedSize) {
                r = resized(size);
            }
        }
        CorruptSegmentException c = r != null ? r.error() : SegmentOpener.truncated(name, e);
        c.addSuppressed(e);
        return c;
    }

    /** The watcher saw the object change: checks its size, and records a truncation if there is one. */
    void sizeMayHaveChanged() {
        if (resized != null || expectedSize < 0) {
            return;
        }
        long size = sizeIfOpen();
        if (size >= 0 && size != expectedSize) {
            resized(size);
        }
    }

    /** @return the object's size, or -1 if the file is closed already or fstat failed */
    private synchronized long sizeIfOpen() {
        if (fileClosed) {
            return -1;
        }
        try {
            return file.size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Records that the object is {@code found} bytes long instead of its header's size, once, and
     * marks every mapping of it.
     *
     * @param found the size fstat reported
     * @return what is recorded
     */
    synchronized Resized resized(long found) {
        if (resized == null) {
            Resized r = new Resized(name, expectedSize, found);
            resized = r; // first: a thread that finds its mapping marked below reports this
            for (MappedMemory m : mappings) {
                m.markResized(found);
            }
            LOG.log(System.Logger.Level.WARNING, "segment truncated or resized by another process: name={0}, size={1},"
                    + " expected={2}", name, found, expectedSize);
        }
        return resized;
    }

    /**
     * @return this process's holder id: the slot's generation in the high 32 bits, the slot index
     *     in the low ones; 0 if no slot is claimed
     */
    public long holderId() {
        int s = slot;
        return s < 0 ? 0 : (long) generation << 32 | s;
    }
}
