package io.ipcarc.posix;

import static io.ipcarc.posix.segment.SegmentDescriptor.DEAD_OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.OWNER_DIED_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.OWNER_PID_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.USER_MUTEX_OFFSET;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.Guard;
import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.posix.lock.LockCarrier;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.segment.Seqlock;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scope;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.segment.SegmentOpener;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/**
 * A held user mutex; released by the thread that acquired it.
 *
 * <p>What it writes depends on the payload mode. Crash-atomic: reads see the committed copy
 * until the guard writes; the first write ({@link #set}, or {@link #buffer()}, which first copies
 * the committed value) goes to the shadow copy, and {@link #close()} publishes the shadow with
 * one release store of the commit word. A guard that writes nothing copies and publishes nothing.
 * Raw: writes go to the payload in place, and the first one makes the sequence word odd
 * ({@link Seqlock#beginWrite()}); close makes it even again.
 */
final class PosixGuard<T> extends Scope implements Guard<T> {
    private final PosixIpcArc<T> arc;
    private final SegmentHandle handle;
    private final Thread owner;
    private final boolean ownerDied;
    /** Whether closing normally ends the owner-died state (false for read()'s internal guard). */
    private final boolean acknowledges;
    /** The sequence/commit word when the mutex was acquired. */
    private final long word;
    /** What the lock left in the mutex's owner word and robust-list links, checked before unlock. */
    private final int heldOwner;
    private final long heldPrev;
    private final long heldNext;
    /** For a virtual thread: the carrier's grant, released through it; {@code null} on a platform thread. */
    private final LockCarrier.Request grant;
    /** The copy this guard reads: the committed one, or the shadow once it wrote (crash-atomic); set on first use. */
    private MemoryView current;
    /** Raw: the odd value this guard stored (or found, after a dead writer), 0 if none. Crash-atomic: 1 once it wrote. */
    private long writing;
    private MemoryView view;
    /** Whether this guard handed out a view ({@link #exposeViews}). */
    private boolean exposed;
    /**
     * Whether {@link #close()} ran; only the owner thread reads and writes it. Not the same as the
     * lifetime's end: a truncation found by another thread ends the lifetime (the views refuse),
     * and the owner must still release.
     */
    private boolean released;

    /**
     * @param writing 0, or the odd raw word a dead writer left ({@link #torn()}), which this guard makes even when it
     *     closes normally
     */
    PosixGuard(PosixIpcArc<T> arc, SegmentHandle handle, boolean ownerDied, boolean acknowledges, long word, long writing,
               int heldOwner, long heldPrev, long heldNext, LockCarrier.Request grant) {
        this.grant = grant;
        this.arc = arc;
        this.handle = handle;
        this.owner = Thread.currentThread();
        this.ownerDied = ownerDied;
        this.acknowledges = acknowledges;
        this.word = word;
        this.heldOwner = heldOwner;
        this.heldPrev = heldPrev;
        this.heldNext = heldNext;
        this.writing = writing;
    }

    @Override
    public RuntimeException closedError() {
        MappedMemory memory = handle.memory();
        if (memory.resized() && !memory.isClosed()) {
            return memory.closedError(); // ended by the truncation, not by close()
        }
        return new IllegalStateException("guard is closed: name=" + handle.name());
    }

    @Override
    public RuntimeException fault(InternalError e) {
        return handle.memory().fault(e);
    }

    /**
     * Before handing out a view of this guard's lifetime: registers the guard with the mapping, so
     * that a truncation found later ends it (and its views refuse), and refuses if one was found.
     */
    private void exposeViews() {
        MappedMemory memory = handle.memory();
        if (!exposed) {
            exposed = true;
            memory.hold.guard = this; // volatile: ordered before the check below (the other side stores, then loads)
        }
        if (memory.resized()) {
            throw memory.closedError();
        }
    }

    private void checkHeld() {
        if (!alive()) {
            throw closedError();
        }
    }

    /** @return whether the raw word was odd when acquired: a dead writer's half-written value */
    boolean torn() {
        return !handle.payload.crashAtomic && (word & 1) != 0;
    }

    @Override
    public T get() {
        try {
            checkHeld();
            return arc.type().read(current(), 0);
        } catch (InternalError e) {
            throw handle.memory().fault(e);
        } catch (RuntimeException e) {
            throw SegmentOpener.decodeFailed(handle.name(), e); // only a nameless CorruptSegmentException is changed
        }
    }

    @Override
    public void set(T value) {
        try {
            checkHeld();
            write(value);
        } catch (InternalError e) {
            throw handle.memory().fault(e);
        }
    }

    private void write(T value) {
        if (writing == 0 && handle.payload.crashAtomic) {
            // The first write of a crash-atomic guard: if the type refuses the value half-way,
            // the shadow is simply not published.
            MemoryView shadow = handle.payload.shadow(word);
            arc.type().write(shadow, 0, value);
            current = shadow;
            writing = 1;
            return;
        }
        arc.type().write(writable(false), 0, value);
    }

    /**
     * @param keep whether the copy to write must start as the committed value
     * @return the copy this guard writes
     */
    private MemoryView writable(boolean keep) {
        if (writing == 0) {
            if (handle.payload.crashAtomic) {
                MemoryView shadow = handle.payload.shadow(word);
                if (keep) {
                    shadow.copyFrom(0, current(), 0, shadow.capacity());
                }
                current = shadow;
                writing = 1;
            } else {
                writing = handle.seqlock.beginWrite();
            }
        }
        return current();
    }

    /** @return the copy this guard reads; the committed one until it writes */
    private MemoryView current() {
        MemoryView c = current;
        if (c == null) {
            c = handle.payload.committed(word);
            current = c;
        }
        return c;
    }

    @Override
    public boolean ownerDied() {
        return ownerDied;
    }

    @Override
    public SharedBuffer buffer() {
        try {
            checkHeld();
            exposeViews();
        } catch (InternalError e) {
            throw handle.memory().fault(e);
        }
        MemoryView target = writable(true);
        MemoryView v = view;
        if (v == null) {
            // Once a guard writes, the copy it writes stays the same until it closes.
            v = target.withScope(this);
            view = v;
        }
        return v;
    }

    @Override
    public SharedView view() {
        try {
            checkHeld();
            exposeViews();
        } catch (InternalError e) {
            throw handle.memory().fault(e);
        }
        return current().withScope(this); // typed as the read-only SharedView
    }

    @Override
    public boolean isHeld() {
        return !released;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("guard must be closed by the thread that acquired it: name=" + handle.name()
                    + ", owner=" + owner.getName() + ", caller=" + Thread.currentThread().getName());
        }
        if (released) {
            return;
        }
        released = true;
        boolean unlocked = false;
        try {
            // Release, not volatile: nothing needs the store-load fence, and it would cost a locked
            // instruction on every unlock. The unlock below publishes it to other threads anyway.
            endRelease();
            // The holder fields first: whatever happens below, the handle's close() must not be
            // refused as "in use" for the life of the process.
            handle.attachment.lockOwner = 0;
            arc.hold.threadId = 0;
            if (exposed) {
                arc.hold.guard = null;
            }
            MappedMemory memory = handle.memory();
            if (memory.resized()) {
                throw releaseOnDamage(memory.closedError());
            }
            RawMemory h = handle.words; // fixed offsets in the header; a closed mapping stays mapped (MappedMemory)
            boolean changed = false;
            if (writing != 0) {
                if (handle.payload.crashAtomic) {
                    handle.seqlock.publish(word);
                    changed = true;
                } else if (acknowledges || !torn()) {
                    handle.seqlock.endWrite(writing);
                    changed = true;
                }
            }
            if (ownerDied && acknowledges) {
                h.putInt(DEAD_OWNER_PID_OFFSET, 0);
                h.putInt(OWNER_DIED_OFFSET, 0);
            }
            h.putInt(OWNER_PID_OFFSET, 0);
            String damaged = MutexIntegrity.restore(h, USER_MUTEX_OFFSET, heldOwner, heldPrev, heldNext);
            int rc = grant == null ? ProcessMutex.unlock(arc.mutexAddress()) : grant.release();
            unlocked = true;
            if (rc != 0 && memory.resized()) {
                throw memory.closedError(); // the pages were replaced between the check above and the unlock
            }
            if (changed) {
                handle.changes.wakeIfWaiting();
            }
            if (damaged != null) {
                throw MutexIntegrity.damagedWhileHeld(handle.name(), "user", damaged);
            }
            if (rc != 0) {
                throw new IllegalStateException("pthread_mutex_unlock failed: errno=" + Linux.errnoName(rc) + ", name="
                        + handle.name());
            }
        } catch (InternalError e) {
            // A fault of this thread (now, or one HotSpot delivers late at any point of this method):
            // the segment was truncated. The lock is released in every case, once.
            RuntimeException damage = handle.memory().fault(e);
            throw unlocked ? damage : releaseOnDamage(damage);
        }
    }

    /**
     * Releases the mutex of a segment found truncated while this guard held it, without
     * publishing anything: if the mutex's page is still the object's, unlocks it there (so that
     * waiters of other processes go on, and find the damage themselves); if the page vanished,
     * its replacement holds this thread's robust-list node ({@link MappedMemory#markResized}) and
     * glibc is not called on it.
     *
     * @param damage what the handle reports
     * @return the exception to throw: the guard's writes, if any, were not published
     */
    private RuntimeException releaseOnDamage(RuntimeException damage) {
        MappedMemory memory = handle.memory();
        try {
            if (!memory.mutexPageGone()) {
                handle.words.putInt(OWNER_PID_OFFSET, 0);
                MutexIntegrity.restore(handle.words, USER_MUTEX_OFFSET, heldOwner, heldPrev, heldNext);
            }
        } catch (InternalError e) {
            // It shrank further meanwhile: the pages are replaced now (fault() marked them).
            memory.fault(e);
        }
        if (grant != null) {
            grant.release(); // the carrier's unlock skips glibc when the page is gone
        } else if (!memory.mutexPageGone()) {
            ProcessMutex.unlockSurely(arc.mutexAddress(), memory);
        }
        CorruptSegmentException c = new CorruptSegmentException("guard released on a damaged segment, nothing it wrote was"
                + " published: " + damage.getMessage(), handle.name(), damage);
        return c;
    }

    @Override
    public String toString() {
        return "Guard[" + handle.name() + (alive() ? ", held by " + owner.getName() : ", released") + "]";
    }
}
