package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.PayloadGuard;
import io.ipcarc.SharedBuffer;

/**
 * The entries not in use: a free list threaded through free entries, and the never-used tail
 * {@code [bump, E)}, both guarded by the allocator's payload lock, which is taken only while the
 * stripe lock it works for is held (it comes after every stripe lock in the lock order). Each
 * operation is journaled in the allocator's line, and the entry it hands to a stripe is recorded
 * in that stripe's pending word before it leaves the list, so that a holder killed at any instant
 * leaves every entry either free, held by exactly one stripe, or named by the index
 * (docs/map.md, "Allocating entries").
 */
final class EntryAllocator {
    private final MapStore<?, ?> store;
    private final SharedBuffer buf;
    private final RepairReporter reporter;

    EntryAllocator(MapStore<?, ?> store, RepairReporter reporter) {
        this.store = store;
        this.buf = store.buf;
        this.reporter = reporter;
    }

    /** Takes the allocator lock, repairing the allocator first if its last holder died inside or left it mid-way. */
    PayloadGuard lock() {
        PayloadGuard g = store.allocatorLock.acquire();
        try {
            if (g.ownerDied() || buf.getInt(ALLOC_OP_OFFSET) != ALLOC_NONE) {
                String action = repair();
                reporter.report(-1, allocatorLock(store.stripes), g.ownerDied(), action);
            }
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
        return g;
    }

    /**
     * Takes a free entry for an insert of stripe {@code stripe} (whose lock the caller holds),
     * recording it as the stripe's pending entry.
     *
     * @return the entry, held by the stripe
     * @throws MapFullException if every entry is in use
     */
    int pop(int stripe) {
        try (PayloadGuard g = lock()) {
            int head = buf.getInt(FREE_HEAD_OFFSET);
            int bump = buf.getInt(BUMP_OFFSET);
            int e;
            int next = 0;
            if (head != 0) {
                e = checked(head - 1, "free list head");
                next = buf.getInt(store.entryAt(e) + ENTRY_KEY);
                if (next < 0 || next > store.entries) {
                    throw store.damaged("free list names no entry: entry=" + e + ", next=" + next);
                }
            } else if (bump < store.entries) {
                e = checked(bump, "bump");
            } else {
                throw new MapFullException("map full: name=" + store.name + ", capacity=" + store.geometry.capacity()
                        + ", size=" + store.size() + " (remove keys, or create a larger map; no key is evicted)",
                        store.name, store.geometry.capacity());
            }
            journal(ALLOC_POP, stripe, e, head, bump);
            CrashPoint.POP_JOURNALED.reach();
            buf.putInt(store.stripeAt(stripe) + STRIPE_PENDING, e + 1);
            CrashPoint.POP_PENDING.reach();
            if (head != 0) {
                buf.putIntRelease(FREE_HEAD_OFFSET, next); // the entry leaves the list
            } else {
                buf.putIntRelease(BUMP_OFFSET, bump + 1);
            }
            setKind(e, KIND_HELD);
            CrashPoint.POP_TAKEN.reach();
            buf.putIntRelease(ALLOC_OP_OFFSET, ALLOC_NONE);
            return e;
        }
    }

    /**
     * Gives an entry back: the one a stripe's remove freed ({@code endsRemove}: the stripe's
     * journal is closed in the same critical section), or one it held for an insert that did not
     * happen (its pending word is cleared).
     */
    void push(int stripe, int entry) {
        try (PayloadGuard g = lock()) {
            pushLocked(stripe, entry);
        }
    }

    /** {@link #push} with the allocator lock held. */
    void pushLocked(int stripe, int entry) {
        int head = buf.getInt(FREE_HEAD_OFFSET);
        journal(ALLOC_PUSH, stripe, entry, head, buf.getInt(BUMP_OFFSET));
        CrashPoint.PUSH_JOURNALED.reach();
        link(entry, head);
        CrashPoint.PUSH_LINKED.reach();
        releaseFromStripe(stripe, entry);
        CrashPoint.PUSH_RELEASED.reach();
        buf.putIntRelease(ALLOC_OP_OFFSET, ALLOC_NONE);
    }

    private void journal(int op, int stripe, int entry, int head, int bump) {
        buf.putInt(ALLOC_STRIPE_OFFSET, stripe);
        buf.putInt(ALLOC_ENTRY_OFFSET, entry);
        buf.putInt(ALLOC_HEAD_BEFORE_OFFSET, head);
        buf.putInt(ALLOC_BUMP_BEFORE_OFFSET, bump);
        buf.putIntRelease(ALLOC_OP_OFFSET, op);
        java.lang.invoke.VarHandle.storeStoreFence();
    }

    /** Puts {@code entry} at the head of the free list, whose head was {@code head}: free, then linked (one release store). */
    private void link(int entry, int head) {
        int eo = store.entryAt(entry);
        buf.putInt(eo + ENTRY_KEY, head);
        setKind(entry, KIND_FREE);
        buf.putIntRelease(FREE_HEAD_OFFSET, entry + 1);
    }

    /** Whatever of the stripe's journal the entry ends: a remove's, or an insert's pending entry. */
    private void releaseFromStripe(int stripe, int entry) {
        int so = store.stripeAt(stripe);
        if (buf.getInt(so + STRIPE_PENDING) == entry + 1) {
            buf.putIntRelease(so + STRIPE_PENDING, 0);
        }
        if (buf.getInt(so + STRIPE_OP) == OP_REMOVE && buf.getInt(so + STRIPE_ENTRY) == entry) {
            buf.putIntRelease(so + STRIPE_OP, OP_NONE);
        }
    }

    /** The allocator's repair: a pop that did not take the entry is undone, a push is completed. */
    private String repair() {
        int op = buf.getInt(ALLOC_OP_OFFSET);
        int stripe = buf.getInt(ALLOC_STRIPE_OFFSET);
        int entry = buf.getInt(ALLOC_ENTRY_OFFSET);
        int headBefore = buf.getInt(ALLOC_HEAD_BEFORE_OFFSET);
        int bumpBefore = buf.getInt(ALLOC_BUMP_BEFORE_OFFSET);
        String action;
        if (op == ALLOC_NONE) {
            action = "nothing was in progress";
        } else {
            if (stripe < 0 || stripe >= store.stripes) {
                throw store.damaged("allocator journal names no stripe: stripe=" + stripe);
            }
            checked(entry, "allocator journal");
            int so = store.stripeAt(stripe);
            if (op == ALLOC_POP) {
                boolean taken = buf.getInt(FREE_HEAD_OFFSET) != headBefore || buf.getInt(BUMP_OFFSET) != bumpBefore;
                if (taken) {
                    buf.putInt(so + STRIPE_PENDING, entry + 1);
                    setKind(entry, KIND_HELD);
                    action = "entry " + entry + " taken for stripe " + stripe + " stays that stripe's pending entry";
                } else {
                    if (buf.getInt(so + STRIPE_PENDING) == entry + 1) {
                        buf.putInt(so + STRIPE_PENDING, 0);
                    }
                    action = "entry " + entry + " was not taken for stripe " + stripe;
                }
            } else if (op == ALLOC_PUSH) {
                if (buf.getInt(FREE_HEAD_OFFSET) != entry + 1) {
                    link(entry, headBefore);
                }
                releaseFromStripe(stripe, entry);
                action = "gave entry " + entry + " of stripe " + stripe + " back to the free list";
            } else {
                throw store.damaged("allocator journal op unknown: op=" + op);
            }
        }
        buf.putIntRelease(ALLOC_OP_OFFSET, ALLOC_NONE);
        return "allocator: " + action;
    }

    private int checked(int entry, String what) {
        if (entry < 0 || entry >= store.entries) {
            throw store.damaged(what + " names no entry: entry=" + entry);
        }
        return entry;
    }

    /** Sets an entry's kind, one generation on (release). */
    void setKind(int entry, int kind) {
        int so = store.entryAt(entry) + ENTRY_STATE;
        int st = buf.getInt(so);
        buf.putIntRelease(so, ((st & ~KIND_MASK) + GEN_ONE) | kind);
    }
}
