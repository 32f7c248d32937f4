package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.STATE_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.STATE_UNLINKED;

import io.ipcarc.CorruptSegmentException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ipcarc.posix.lock.LockCarrier;

import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/**
 * One reference to a segment held by this process: what must be released exactly once,
 * whether by {@code close()}, by the leak cleaner, or by the shutdown hook. It holds no
 * reference to the public {@code PosixIpcArc}, so that one can become unreachable.
 */
public final class SegmentHandle {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");

    /** What the create or load opened. */
    public final OpenSegment segment;
    /** The library's view of the whole mapping (header, holders, mutexes). */
    public final MemoryView header;
    /** The header's fixed-offset words, unchecked ({@link MemoryView#headerWords()}): the lock protocol's and the sequence word. */
    public final RawMemory words;
    /** Where the payload's copies are. */
    public final PayloadCopies payload;
    /** This process's attachment to the object (file, token, slot). */
    public final Attachment attachment;
    /** The refcount and holder table, under the admin mutex. */
    public final SegmentAdmin admin;
    /** The commit word and its protocols. */
    public final Seqlock seqlock;
    /** Waiting for a change of the value, and waking those who wait. */
    public final ChangeSignal changes;
    final Throwable openedAt;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Set by {@code retainOnLastClose}: whether the release that drops the last reference keeps the segment; or null. */
    public volatile Retention retention;
    /** Created on first use by a virtual thread; see {@link LockCarrier} and {@link ChangeWatcher}. */
    private LockCarrier carrier;
    private ChangeWatcher watcher;

    /**
     * Takes over one reference of this process to an open segment.
     *
     * @param segment what the create or load opened
     */
    public SegmentHandle(OpenSegment segment) {
        this.segment = segment;
        this.header = segment.view();
        this.words = header.headerWords();
        this.payload = new PayloadCopies(segment);
        this.attachment = segment.attachment();
        this.admin = new SegmentAdmin(segment.memory(), header, attachment.file, attachment, attachment::checkSize);
        this.seqlock = new Seqlock(words);
        this.changes = new ChangeSignal(header, attachment, segment.memory());
        this.openedAt = new Throwable("IpcArc " + segment.name() + " was opened here");
        OpenHandles.add(this);
    }

    /** @return this handle's mapping */
    public MappedMemory memory() {
        return segment.memory();
    }

    /** @return the platform thread that locks for this handle's virtual threads */
    public synchronized LockCarrier carrier() {
        if (carrier == null) {
            carrier = new LockCarrier(name());
        }
        return carrier;
    }

    /** @return the platform thread that awaits changes for this handle's virtual threads */
    public synchronized ChangeWatcher watcher() {
        if (watcher == null) {
            watcher = new ChangeWatcher(changes, name(), memory());
        }
        return watcher;
    }

    private synchronized void stopHelpers() {
        if (carrier != null) {
            carrier.stop();
        }
        if (watcher != null) {
            watcher.stop();
        }
    }

    /** @return the segment's name */
    public String name() {
        return segment.name();
    }

    /** The user's close: no new accesses, drop the reference, end Java accesses to the mapping. */
    public void close() {
        if (!memory().markClosed()) {
            return;
        }
        try {
            release();
        } finally {
            memory().endAccess();
        }
    }

    /**
     * The leak cleaner's close: the public object became unreachable without close(). Also run
     * (as {@code Cleanable.clean()}) by every {@code close()} of the handle; then it does nothing,
     * since that close or a concurrent one marked the handle closed first and releases it.
     */
    public void closeLeaked() {
        if (released.get() || !memory().markClosed()) {
            return;
        }
        release();
        // Warn after the reference is back, so whoever reads the warning sees the release done.
        LOG.log(System.Logger.Level.WARNING, "IpcArc was not closed before it became unreachable; released its reference: name="
                + name(), openedAt);
    }

    /**
     * Drops this handle's reference under the admin mutex; the last reference of all
     * processes marks the segment UNLINKED and unlinks its name, unless this handle's
     * {@link #retention} keeps it. Idempotent. The object's size is checked first: of a truncated
     * object only what is left is touched ({@link #releaseFromTruncated}). This process's
     * attachment is left in every case, so its liveness token goes back to the kernel with its
     * last handle.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        OpenHandles.remove(this);
        stopHelpers();
        try {
            if (attachment.resizedOrNull() == null) {
                try {
                    attachment.checkSize();
                    releaseReference();
                    return;
                } catch (InternalError e) {
                    // HotSpot turns a SIGBUS on mapped memory into this error: the object shrank after the check.
                    CorruptSegmentException c = memory().fault(e) instanceof CorruptSegmentException x ? x : null;
                    if (attachment.resizedOrNull() == null) {
                        throw c != null ? c : SegmentOpener.truncated(name(), e);
                    }
                } catch (CorruptSegmentException e) {
                    if (attachment.resizedOrNull() == null) {
                        throw e; // damage of another kind (a mutex word): reported, the reference stays
                    }
                }
            }
            releaseFromTruncated();
        } finally {
            attachment.leave();
        }
    }

    /**
     * Gives this process's reference back on an object another process truncated. While the first
     * page (the mutexes, the refcount, most of the holder table) is still the object's, this handle
     * is taken off the holder table there as usual, touching only the slots still inside the
     * object, so that the count the survivors see stays exact; the name is left alone (nobody
     * unlinks a damaged object implicitly: {@code ipcarc ls} shows it). Below one page nothing of
     * the table is left. Either way the process's liveness token goes back to the kernel with the
     * attachment's file, and this returns normally: a truncated handle can always be closed.
     */
    private void releaseFromTruncated() {
        long size;
        try {
            size = attachment.file.size();
        } catch (RuntimeException e) {
            size = -1;
        }
        if (size >= SegmentDescriptor.PAGE && !memory().mutexPageGone()) {
            SegmentAdmin damaged = admin.truncatedTo(size);
            try {
                damaged.lock();
                try {
                    damaged.reapDead();
                    damaged.removeHandle();
                } finally {
                    damaged.unlock();
                }
            } catch (RuntimeException | InternalError e) {
                LOG.log(System.Logger.Level.INFO, "could not take this process's handle off the holder table of a truncated"
                        + " segment: name={0}, cause={1}", name(), e.toString());
            }
        }
        LOG.log(System.Logger.Level.INFO, "released a handle of a truncated segment: name={0}, size={1}", name(), size);
    }

    private void releaseReference() {
        boolean last;
        admin.lock();
        try {
            admin.reapDead();
            last = admin.removeHandle() == 0;
            Retention keep = retention;
            if (last && keep != null && keep.keeps(this)) {
                last = false; // kept: ready, refcount 0, no holder; the next load adopts it
            }
            if (last) {
                header.putIntRelease(STATE_OFFSET, STATE_UNLINKED);
                if (ShmFile.inodeOfName(name()) == segment.inode() && Binding.C.shm_unlink(name()) != 0) {
                    LOG.log(System.Logger.Level.INFO, "shm_unlink failed: errno={0}, name={1}",
                            Linux.errnoName(Binding.C.errno()), name());
                }
            }
        } finally {
            admin.unlock();
        }
        if (last) {
            freePages();
        }
    }

    /**
     * Gives the memory of a segment that no process references any more back to the system now,
     * not when the last closed mapping of it is unmapped (closed mappings stay until they are
     * unreachable, {@link MappedMemory}): punches out every page after the first, which holds the
     * mutexes (a thread racing with this close may still lock and unlock there). Whoever still
     * maps those pages reads zeros.
     */
    private void freePages() {
        long size = segment.header().segmentSize();
        if (size <= SegmentDescriptor.PAGE) {
            return;
        }
        int rc = Binding.C.fallocate(attachment.file.fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE,
                SegmentDescriptor.PAGE, size - SegmentDescriptor.PAGE);
        if (rc != 0) {
            LOG.log(System.Logger.Level.INFO, "could not free the pages of an unlinked segment: errno={0}, name={1}",
                    Linux.errnoName(Binding.C.errno()), name());
        }
    }
}
