package io.ipcarc.posix;

import static io.ipcarc.posix.SegmentDescriptor.DEAD_OWNER_PID_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.OWNER_DIED_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.OWNER_PID_OFFSET;
import static io.ipcarc.posix.SegmentDescriptor.USER_MUTEX_OFFSET;

import io.ipcarc.Guard;
import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;

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
    public IllegalStateException closedError() {
        return new IllegalStateException("guard is closed: name=" + handle.name());
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
        checkHeld();
        try {
            return arc.type().read(current(), 0);
        } catch (InternalError e) {
            throw SegmentOpener.truncated(handle.name(), e);
        } catch (RuntimeException e) {
            throw SegmentOpener.decodeFailed(handle.name(), e);
        }
    }

    @Override
    public void set(T value) {
        checkHeld();
        try {
            write(value);
        } catch (InternalError e) {
            throw SegmentOpener.truncated(handle.name(), e);
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
        checkHeld();
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
        checkHeld();
        return new ReadOnlyView(current().withScope(this));
    }

    @Override
    public boolean isHeld() {
        return alive();
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("guard must be closed by the thread that acquired it: name=" + handle.name()
                    + ", owner=" + owner.getName() + ", caller=" + Thread.currentThread().getName());
        }
        if (!alive()) {
            return;
        }
        // Release, not volatile: nothing needs the store-load fence, and it would cost a locked
        // instruction on every unlock. The unlock below publishes it to other threads anyway.
        endRelease();
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
        handle.attachment.lockOwner = 0;
        arc.hold.threadId = 0;
        h.putInt(OWNER_PID_OFFSET, 0);
        String damaged = MutexIntegrity.restore(h, USER_MUTEX_OFFSET, heldOwner, heldPrev, heldNext);
        int rc = grant == null ? ProcessMutex.unlock(arc.mutexAddress()) : grant.release();
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
    }

    @Override
    public String toString() {
        return "Guard[" + handle.name() + (alive() ? ", held by " + owner.getName() : ", released") + "]";
    }
}
