package io.ipcarc.posix;

import static io.ipcarc.posix.SegmentDescriptor.STATE_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.STATE_UNLINKED;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reference to a segment held by this process: what must be released exactly once,
 * whether by {@code close()}, by the leak cleaner, or by the shutdown hook. It holds no
 * reference to the public {@link PosixIpcArc}, so that one can become unreachable.
 */
final class SegmentHandle {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");

    final OpenSegment segment;
    final MemoryView header;
    final MemoryView payload;
    final SegmentAdmin admin;
    final Seqlock seqlock;
    final ChangeSignal changes;
    final Throwable openedAt;
    private final AtomicBoolean released = new AtomicBoolean();

    SegmentHandle(OpenSegment segment) {
        this.segment = segment;
        this.header = segment.header();
        this.payload = segment.memory().window(segment.payloadOffset(), segment.payloadSize());
        this.admin = new SegmentAdmin(header, segment.name());
        this.seqlock = new Seqlock(header);
        this.changes = new ChangeSignal(header, admin);
        this.openedAt = new Throwable("IpcArc " + segment.name() + " was opened here");
        OpenHandles.add(this);
    }

    MappedMemory memory() {
        return segment.memory();
    }

    String name() {
        return segment.name();
    }

    boolean isReleased() {
        return released.get();
    }

    /** The user's close: no new accesses, drop the reference, retire the mapping. */
    void close() {
        if (!memory().markClosed()) {
            return;
        }
        try {
            release();
        } finally {
            memory().retire();
        }
    }

    /** The leak cleaner's close: the public object became unreachable without close(). */
    void closeLeaked() {
        if (released.get()) {
            return;
        }
        memory().markClosed();
        release();
        // Warn after the reference is back, so whoever reads the warning sees the release done.
        LOG.log(System.Logger.Level.WARNING, "IpcArc was not closed before it became unreachable; released its reference: name="
                + name(), openedAt);
    }

    /**
     * Drops this handle's reference under the admin mutex; the last reference of all
     * processes marks the segment UNLINKED and unlinks its name. Idempotent.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        OpenHandles.remove(this);
        try {
            releaseReference();
        } catch (InternalError e) {
            // HotSpot turns a SIGBUS on mapped memory into this error: the object was shrunk
            // under us by another process.
            throw new io.ipcarc.CorruptSegmentException("segment memory is no longer accessible: name=" + name()
                    + " (the object was truncated by another process)", name(), e);
        }
    }

    private void releaseReference() {
        admin.lock();
        try {
            admin.reapDead();
            if (admin.removeHandle() == 0) {
                header.putIntRelease(STATE_OFFSET, STATE_UNLINKED);
                if (ShmFile.inodeOfName(name()) == segment.inode() && Binding.C.shm_unlink(name()) != 0) {
                    LOG.log(System.Logger.Level.INFO, "shm_unlink failed: errno={0}, name={1}",
                            Linux.errnoName(Binding.C.errno()), name());
                }
            }
        } finally {
            admin.unlock();
        }
    }
}
