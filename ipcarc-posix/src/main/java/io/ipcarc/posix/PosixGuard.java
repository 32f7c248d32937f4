package io.ipcarc.posix;

import static io.ipcarc.posix.SegmentDescriptor.OWNER_PID_OFFSET;

import io.ipcarc.Guard;
import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A held user mutex; released by the thread that acquired it. */
final class PosixGuard<T> implements Guard<T>, Scope {
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(PosixGuard.class, "held", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PosixIpcArc<T> arc;
    private final SegmentHandle handle;
    private final Thread owner;
    private final boolean ownerDied;
    /** The odd sequence value this guard's acquisition stored (see {@link Seqlock}). */
    private final long sequence;
    private volatile boolean held = true;
    private SharedBuffer view;

    PosixGuard(PosixIpcArc<T> arc, SegmentHandle handle, boolean ownerDied, long sequence) {
        this.arc = arc;
        this.handle = handle;
        this.owner = Thread.currentThread();
        this.ownerDied = ownerDied;
        this.sequence = sequence;
    }

    @Override
    public boolean alive() {
        return held;
    }

    @Override
    public IllegalStateException closedError() {
        return new IllegalStateException("guard is closed: name=" + handle.name());
    }

    private void checkHeld() {
        if (!held) {
            throw closedError();
        }
    }

    @Override
    public T get() {
        checkHeld();
        return arc.type().read(handle.payload, 0);
    }

    @Override
    public void set(T value) {
        checkHeld();
        arc.type().write(handle.payload, 0, value);
    }

    @Override
    public boolean ownerDied() {
        return ownerDied;
    }

    @Override
    public SharedBuffer buffer() {
        checkHeld();
        SharedBuffer v = view;
        if (v == null) {
            v = handle.payload.withScope(this);
            view = v;
        }
        return v;
    }

    @Override
    public SharedView view() {
        return buffer();
    }

    @Override
    public boolean isHeld() {
        return held;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("guard must be closed by the thread that acquired it: name=" + handle.name()
                    + ", owner=" + owner.getName() + ", caller=" + Thread.currentThread().getName());
        }
        if (!held) {
            return;
        }
        // Release, not volatile: nothing needs the store-load fence, and it would cost a locked
        // instruction on every unlock. The unlock below publishes it to other threads anyway.
        HELD.setRelease(this, false);
        handle.seqlock.endWrite(sequence);
        handle.header.putInt(OWNER_PID_OFFSET, 0);
        int rc = ProcessMutex.unlock(arc.mutexAddress());
        handle.changes.wakeIfWaiting();
        handle.memory().exit();
        if (rc != 0) {
            throw new IllegalStateException("pthread_mutex_unlock failed: errno=" + Linux.errnoName(rc) + ", name="
                    + handle.name());
        }
    }

    @Override
    public String toString() {
        return "Guard[" + handle.name() + (held ? ", held by " + owner.getName() : ", released") + "]";
    }
}
