package io.ipcarc.map;

import io.ipcarc.PayloadGuard;
import java.util.Arrays;
import java.util.Optional;

/**
 * Takes the stripe locks a write needs, always in ascending stripe order so that writers never
 * deadlock, and repairs each stripe as it is taken when a holder died inside it or left its
 * journal open (docs/map.md, "Locking"). A probe that wraps from the last stripe to a lower one
 * tries that lock; if it is busy, every lock is given back and the whole set taken again in
 * order, and the write starts over.
 */
final class StripeLocks {
    private final MapStore<?, ?> store;
    private final StripeRepair repair;

    StripeLocks(MapStore<?, ?> store, StripeRepair repair) {
        this.store = store;
        this.repair = repair;
    }

    /** Takes stripe {@code s}, waiting for it; repairs it if needed. */
    void acquire(ThreadState t, int s) {
        took(t, s, store.stripeLocks[s].acquire());
    }

    /**
     * Makes sure this thread holds stripe {@code s}.
     *
     * @return true if it does; false if the locks were given back and taken again in order, so
     *     that the caller must start its probe over
     */
    boolean ensure(ThreadState t, int s) {
        if (t.guards[s] != null) {
            return true;
        }
        int max = -1;
        for (int i = 0; i < t.heldCount; i++) {
            max = Math.max(max, t.held[i]);
        }
        if (s > max) {
            acquire(t, s);
            return true;
        }
        Optional<PayloadGuard> g = store.stripeLocks[s].tryAcquire();
        if (g.isPresent()) {
            took(t, s, g.get());
            return true;
        }
        int[] want = Arrays.copyOf(t.held, t.heldCount + 1);
        want[t.heldCount] = s;
        Arrays.sort(want);
        releaseAll(t);
        for (int w : want) {
            acquire(t, w);
        }
        return false;
    }

    private void took(ThreadState t, int s, PayloadGuard g) {
        t.guards[s] = g;
        t.held[t.heldCount++] = s;
        try {
            if (g.ownerDied() || repair.needed(s)) {
                repair.repair(s, g.ownerDied());
            }
        } catch (RuntimeException | Error e) {
            releaseAll(t);
            throw e;
        }
    }

    /** Gives back every stripe lock this thread holds, the last taken first. */
    void releaseAll(ThreadState t) {
        RuntimeException failure = null;
        InternalError fault = null;
        for (int i = t.heldCount - 1; i >= 0; i--) {
            int s = t.held[i];
            PayloadGuard g = t.guards[s];
            t.guards[s] = null;
            try {
                g.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            } catch (InternalError e) {
                // A fault HotSpot delivered late (a truncation): the other guards are closed all the same.
                fault = fault == null ? e : fault;
            }
        }
        t.heldCount = 0;
        if (failure != null) {
            throw failure;
        }
        if (fault != null) {
            throw fault; // IpcMap reports it as CorruptSegmentException
        }
    }
}
