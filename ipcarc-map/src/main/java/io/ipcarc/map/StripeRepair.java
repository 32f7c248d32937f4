package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.PayloadGuard;
import io.ipcarc.SharedBuffer;

/**
 * Finishes or undoes what a writer left in a stripe's journal, by the stripe's next holder:
 * an insert is complete if its index word was stored (else its entry goes back to the free
 * list), an update if the index names the new entry (else the spare stays the spare), and a
 * removal is always completed, continuing the backward shift from the journal's hole
 * (docs/map.md, "Repair"). Every step is idempotent, so a repairer killed in turn leaves a
 * repair that the next holder makes again.
 */
final class StripeRepair {
    private final MapStore<?, ?> store;
    private final SharedBuffer buf;
    private final EntryAllocator allocator;
    private final BackwardShift shift;
    private final RepairReporter reporter;

    StripeRepair(MapStore<?, ?> store, EntryAllocator allocator, BackwardShift shift, RepairReporter reporter) {
        this.store = store;
        this.buf = store.buf;
        this.allocator = allocator;
        this.shift = shift;
        this.reporter = reporter;
    }

    /** Whether stripe {@code s} was left mid-operation: its journal is open or it holds a pending entry. */
    boolean needed(int s) {
        int so = store.stripeAt(s);
        return buf.getInt(so + STRIPE_OP) != OP_NONE || buf.getInt(so + STRIPE_PENDING) != 0;
    }

    /** Repairs stripe {@code s}; the caller holds its lock. */
    void repair(int s, boolean ownerDied) {
        int so = store.stripeAt(s);
        int op = buf.getInt(so + STRIPE_OP);
        int pos = buf.getInt(so + STRIPE_POS);
        int entry = buf.getInt(so + STRIPE_ENTRY);
        int countBefore = buf.getInt(so + STRIPE_COUNT_BEFORE);
        String action;
        boolean inserted = false;
        switch (op) {
            case OP_NONE:
                action = "nothing was in progress";
                break;
            case OP_INSERT: {
                checkSlot(s, pos, "insert");
                checkEntry(entry, "insert");
                inserted = (buf.getInt(store.indexAt(pos)) & store.indexMask) == entry + 1;
                buf.putInt(so + STRIPE_COUNT, inserted ? countBefore + 1 : countBefore);
                action = (inserted ? "completed the insert of entry " : "undid the insert of entry ") + entry + " at slot " + pos;
                break;
            }
            case OP_UPDATE:
                action = update(s, so, pos, entry);
                break;
            case OP_REMOVE: {
                checkSlot(s, pos, "remove");
                checkEntry(entry, "remove");
                int hole = buf.getInt(so + STRIPE_HOLE);
                checkSlot(s, hole, "remove's hole");
                shift.vacate(s, hole);
                CrashPoint.REPAIR_SHIFTED.reach();
                buf.putInt(so + STRIPE_COUNT, countBefore - 1);
                action = "completed the removal of entry " + entry + " from slot " + pos;
                break;
            }
            default:
                throw store.damaged("stripe journal op unknown: stripe=" + s + ", op=" + op);
        }
        if (op == OP_INSERT || op == OP_REMOVE || buf.getInt(so + STRIPE_PENDING) != 0) {
            action += entries(s, so, op, entry, inserted);
        }
        CrashPoint.REPAIR_DONE.reach();
        buf.putIntRelease(so + STRIPE_OP, OP_NONE);
        buf.putInt(so + STRIPE_REPAIRS, buf.getInt(so + STRIPE_REPAIRS) + 1);
        reporter.report(s, stripeLock(s), ownerDied, "stripe " + s + ": " + action);
        store.changed();
    }

    private String update(int s, int so, int pos, int old) {
        checkSlot(s, pos, "update");
        checkEntry(old, "update");
        int fresh = buf.getInt(so + STRIPE_OTHER);
        checkEntry(fresh, "update's new entry");
        int named = buf.getInt(store.indexAt(pos)) & store.indexMask;
        if (named == fresh + 1) {
            allocator.setKind(old, KIND_HELD);
            buf.putInt(so + STRIPE_SPARE, old);
            return "completed the update of slot " + pos + " (entry " + fresh + " replaced entry " + old + ")";
        }
        if (named == old + 1) {
            allocator.setKind(fresh, KIND_HELD);
            buf.putInt(so + STRIPE_SPARE, fresh);
            return "undid the update of slot " + pos + " (entry " + old + " stays)";
        }
        throw store.damaged("update journal does not match the index: stripe=" + s + ", pos=" + pos + ", old=" + old
                + ", new=" + fresh + ", word=0x" + Integer.toHexString(buf.getInt(store.indexAt(pos))));
    }

    /** The entries part, under the allocator lock: a pending entry not named by the index, and a removed one, go back. */
    private String entries(int s, int so, int op, int entry, boolean inserted) {
        StringBuilder done = new StringBuilder();
        try (PayloadGuard a = allocator.lock()) {
            int pending = buf.getInt(so + STRIPE_PENDING);
            if (pending != 0) {
                checkEntry(pending - 1, "pending");
                if (op == OP_INSERT && inserted && pending - 1 == entry) {
                    buf.putInt(so + STRIPE_PENDING, 0);
                } else {
                    allocator.pushLocked(s, pending - 1);
                    done.append("; entry ").append(pending - 1).append(" went back to the free list");
                }
            }
            if (buf.getInt(so + STRIPE_OP) == OP_REMOVE) {
                allocator.pushLocked(s, entry);
                done.append("; entry ").append(entry).append(" went back to the free list");
            }
        }
        return done.toString();
    }

    private void checkSlot(int s, int pos, String what) {
        if (pos < s * store.stripeSlots || pos >= (s + 1) * store.stripeSlots) {
            throw store.damaged(what + " journal names a slot outside its stripe: stripe=" + s + ", pos=" + pos);
        }
    }

    private void checkEntry(int e, String what) {
        if (e < 0 || e >= store.entries) {
            throw store.damaged(what + " journal names no entry: entry=" + e);
        }
    }
}
