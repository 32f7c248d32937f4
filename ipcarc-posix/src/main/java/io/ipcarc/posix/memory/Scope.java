package io.ipcarc.posix.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What decides whether a {@link MemoryView} may still be used: a lifetime that ends once.
 *
 * <p>An abstract class with the flag as its own field rather than an interface, because every
 * checked access reads it: with four kinds of lifetime (a handle's mapping, the library's own
 * header view, scratch memory, a guard) an interface call there is megamorphic, the JIT cannot
 * inline it, and each access paid a virtual dispatch (2 to 3 ns, about 50 ns of the twelve shared
 * words one acquire+close touches, in RatioHarness's step ladder). A field load of a known class is
 * one load.
 */
public abstract class Scope {
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(Scope.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Starts false by default: no initial store (a volatile one would cost a full fence per guard). */
    private volatile boolean ended;

    /** @return true while accesses are allowed */
    public final boolean alive() {
        return !ended;
    }

    /** Ends the lifetime: every later checked access throws {@link #closedError()}. A volatile store. */
    public final void end() {
        ended = true;
    }

    /**
     * Ends the lifetime with a release store: for an owner thread whose next steps publish it
     * anyway (a guard, before its unlock), so the store-load fence of a volatile store is not needed.
     */
    public final void endRelease() {
        ENDED.setRelease(this, true);
    }

    /**
     * @return the exception to throw once the lifetime ended: {@link IllegalStateException} when
     *     it was closed, {@link io.ipcarc.CorruptSegmentException} when the segment was found
     *     truncated or resized by another process
     */
    public abstract RuntimeException closedError();

    /**
     * What an access through a view of this lifetime throws when the JVM reported a fault (a
     * SIGBUS on mapped memory, turned into {@link InternalError}): by default the error itself;
     * a mapping's lifetime finds out what happened to its segment and reports that.
     *
     * @param e the JVM's report
     * @return the exception to throw
     */
    public RuntimeException fault(InternalError e) {
        throw e;
    }
}
