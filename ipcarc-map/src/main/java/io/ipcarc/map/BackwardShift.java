package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.SharedBuffer;
import java.lang.invoke.VarHandle;

/**
 * Vacates an index slot inside one stripe, as linear probing without tombstones does
 * (Knuth's algorithm R): each later word of the stripe that may live in the hole moves into it,
 * leaving a new hole, until an empty slot or the stripe's end; the last hole becomes empty (or a
 * tombstone at the stripe's end, when the next stripe's first slot is not empty). Every move is
 * preceded by a bump of the stripe's version, which lock-free readers check after a miss, and
 * recorded in the stripe's journal, so that a repair continues exactly where a killed writer
 * stopped (docs/map.md, "Remove").
 */
final class BackwardShift {
    private final MapStore<?, ?> store;
    private final SharedBuffer buf;

    BackwardShift(MapStore<?, ?> store) {
        this.store = store;
        this.buf = store.buf;
    }

    /**
     * Vacates {@code hole} (the caller holds stripe {@code stripe}, whose journal is a remove).
     * Idempotent: started again from the hole the journal names, it makes the same moves.
     */
    void vacate(int stripe, int hole) {
        int so = store.stripeAt(stripe);
        int mask = store.indexMask;
        int slots = store.indexSlots;
        int end = (stripe + 1) * store.stripeSlots;
        int x = hole + 1;
        for (; x < end; x++) {
            int w = buf.getInt(store.indexAt(x));
            int idx = w & mask;
            if (idx == 0) {
                break;
            }
            if (idx != mask) {
                int home = store.home(buf.getInt(store.entryAt(store.entryOf(w, x)) + ENTRY_HASH));
                if (Math.floorMod(x - home, slots) >= Math.floorMod(x - hole, slots)) {
                    bumpVersion(so);
                    buf.putIntRelease(store.indexAt(hole), w); // the word is now twice in the stripe
                    CrashPoint.REMOVE_MOVED.reach();
                    buf.putIntRelease(so + STRIPE_HOLE, x);
                    CrashPoint.REMOVE_HOLE_MOVED.reach();
                    hole = x;
                }
            }
        }
        boolean empty = x < end || (buf.getInt(store.indexAt(end == slots ? 0 : end)) & mask) == 0;
        bumpVersion(so);
        buf.putIntRelease(store.indexAt(hole), empty ? EMPTY : TOMBSTONE);
    }

    /** The stripe's version + 1, visible before the index store that follows (a store-store fence). */
    private void bumpVersion(int so) {
        buf.putLongRelease(so + STRIPE_VERSION, buf.getLong(so + STRIPE_VERSION) + 1);
        VarHandle.storeStoreFence();
    }
}
