package io.ipcarc.posix.segment;

import io.ipcarc.SharedView;
import java.util.function.Predicate;
import io.ipcarc.posix.memory.Scope;

/**
 * A handle's retention condition ({@link io.ipcarc.IpcArc#retainOnLastClose}), evaluated by the
 * release that drops the last reference of all processes, under the admin mutex: whether the
 * segment is kept (ready, refcount 0, no holder) instead of unlinked.
 */
public final class Retention {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");

    private final Predicate<SharedView> condition;

    /**
     * @param condition the user's condition on the committed payload
     */
    public Retention(Predicate<SharedView> condition) {
        this.condition = condition;
    }

    /**
     * Asks the condition about the committed payload, through a read-only view that is valid only
     * during the call (a condition that keeps it gets {@link IllegalStateException} on later use).
     * No other process holds a reference and this one is releasing its last, so nobody writes the
     * payload meanwhile. A condition that throws keeps the segment: it was set to protect data,
     * and {@code ipcarc rm} removes a segment kept by mistake, whereas nothing brings back one
     * unlinked by mistake.
     *
     * @param handle the handle that drops the last reference
     * @return whether to keep the segment
     */
    boolean keeps(SegmentHandle handle) {
        Scope call = new Scope() {
            @Override
            public IllegalStateException closedError() {
                return new IllegalStateException("the payload view of a retention condition is valid only during the call: name="
                        + handle.name());
            }
        };
        boolean keep;
        try {
            keep = condition.test(handle.payload.committed(handle.seqlock.readBegin()).withScope(call));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retention condition failed; the segment is kept at its last close: name="
                    + handle.name() + " (ipcarc rm removes it)", e);
            return true;
        } finally {
            call.end();
        }
        if (keep) {
            LOG.log(System.Logger.Level.INFO, "kept the segment at its last close: its retention condition holds: name={0}",
                    handle.name());
        }
        return keep;
    }
}
