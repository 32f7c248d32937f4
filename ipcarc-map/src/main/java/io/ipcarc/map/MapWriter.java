package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.SharedBuffer;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The writes (docs/map.md, "Insert", "Update", "Remove"): under the locks of every stripe the
 * key's probe crosses, find the key or the first free slot, then insert (a new entry, named by one
 * release store of an index word), update (copy on write into the stripe's spare entry, swapped
 * in by one release store) or remove (a backward shift). Each is journaled in the stripe of the
 * slot it changes before its first shared store, so that a holder killed at any instant leaves
 * a state the next holder repairs.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class MapWriter<K, V> {
    static final int PUT = 0;
    static final int PUT_IF_ABSENT = 1;
    static final int REMOVE = 2;
    static final int COMPUTE = 3;
    /** A put that reports only whether the key was there, without decoding the old value. */
    static final int SET = 4;

    /** {@link #SET}'s answer when the key was there. */
    static final Object REPLACED = new Object();

    private final MapStore<K, V> store;
    private final SharedBuffer buf;
    private final StripeLocks locks;
    private final EntryAllocator allocator;
    private final BackwardShift shift;

    MapWriter(MapStore<K, V> store, StripeLocks locks, EntryAllocator allocator, BackwardShift shift) {
        this.store = store;
        this.buf = store.buf;
        this.locks = locks;
        this.allocator = allocator;
        this.shift = shift;
    }

    /**
     * One write.
     *
     * @return the previous value (or {@code null}); for {@link #SET}, {@link #REPLACED} or {@code null}
     */
    Object write(int kind, K key, V value, BiFunction<? super K, ? super V, ? extends V> fn) {
        Objects.requireNonNull(key, "key");
        if (kind != REMOVE && kind != COMPUTE) {
            Objects.requireNonNull(value, "value");
        }
        ThreadState t = store.thread();
        if (t.writing) {
            throw new IllegalStateException("map written by a thread that is inside a write of it (a write from a compute"
                    + " function?): name=" + store.name);
        }
        int hash32 = MapHash.hash32(store.keys.hash(key, t.keyBytes)); // checks the key before any lock
        t.writing = true;
        boolean changed = false;
        Object result;
        try {
            int home = store.home(hash32);
            locks.acquire(t, store.stripeOf(home));
            long found;
            do {
                found = probe(t, key, hash32, home);
            } while (found == RESTART);
            int pos = (int) found;
            boolean present = (found >>> 32) == 1;
            t.changed = false;
            result = apply(kind, t, key, value, fn, hash32, pos, present);
            changed = t.changed;
        } finally {
            t.writing = false;
            locks.releaseAll(t);
        }
        if (changed) {
            store.changed();
        }
        return result;
    }

    private static final long RESTART = -1;

    /**
     * Probes under the locks for the key or the first free slot, taking the lock of each stripe it
     * crosses.
     *
     * @return {@code 1 << 32 | slot} of the key, {@code slot} of the first free slot, or {@link #RESTART}
     */
    private long probe(ThreadState t, K key, int hash32, int home) {
        int mask = store.indexMask;
        int tagged = hash32 << store.indexBits;
        int free = -1;
        int pos = home;
        for (int n = 0; n < store.indexSlots; n++) {
            if (!locks.ensure(t, store.stripeOf(pos))) {
                return RESTART;
            }
            int w = buf.getInt(store.indexAt(pos));
            int idx = w & mask;
            if (idx == 0) {
                return free >= 0 ? free : pos;
            }
            if (idx == mask) {
                if (free < 0) {
                    free = pos;
                }
            } else if ((w & ~mask) == tagged) {
                int eo = store.entryAt(store.entryOf(w, pos));
                if (buf.getInt(eo + ENTRY_HASH) == hash32 && store.keys.matches(buf, eo + ENTRY_KEY, key, t.keyBytes)) {
                    return 1L << 32 | pos;
                }
            }
            pos = pos + 1 == store.indexSlots ? 0 : pos + 1;
        }
        if (free >= 0) {
            return free;
        }
        throw store.damaged("index has no free slot: indexSlots=" + store.indexSlots + ", size=" + store.size());
    }

    /** Makes the write; sets {@code t.changed} when it changed the map. */
    private Object apply(int kind, ThreadState t, K key, V value, BiFunction<? super K, ? super V, ? extends V> fn,
                          int hash32, int pos, boolean present) {
        if (present) {
            int entry = store.entryOf(buf.getInt(store.indexAt(pos)), pos);
            if (kind == SET) {
                update(t, key, value, hash32, pos, entry);
                return REPLACED;
            }
            V old = store.values.read(buf, store.entryAt(entry) + store.valueOffset);
            switch (kind) {
                case PUT:
                    update(t, key, value, hash32, pos, entry);
                    return old;
                case PUT_IF_ABSENT:
                    return old;
                case REMOVE:
                    remove(t, pos, entry);
                    return old;
                default: {
                    V next = fn.apply(key, old);
                    if (next == null) {
                        remove(t, pos, entry);
                    } else {
                        update(t, key, next, hash32, pos, entry);
                    }
                    return next;
                }
            }
        }
        if (kind == REMOVE) {
            return null;
        }
        V fresh = value;
        if (kind == COMPUTE) {
            fresh = fn.apply(key, null);
            if (fresh == null) {
                return null;
            }
        }
        insert(t, key, fresh, hash32, pos);
        return kind == COMPUTE ? fresh : null;
    }

    /** Insert at free slot {@code pos}: a new entry, written, made live, then named by the index word (the commit). */
    private void insert(ThreadState t, K key, V value, int hash32, int pos) {
        int s = store.stripeOf(pos);
        int so = store.stripeAt(s);
        int e = allocator.pop(s);
        int eo = store.entryAt(e);
        try {
            store.values.write(buf, eo + store.valueOffset, value);
        } catch (RuntimeException ex) {
            allocator.push(s, e); // refused before any byte was written; the entry goes back
            throw ex;
        }
        buf.putInt(eo + ENTRY_HASH, hash32);
        store.keys.write(buf, eo + ENTRY_KEY, key, t.keyBytes);
        CrashPoint.INSERT_ENTRY_WRITTEN.reach();
        int count = buf.getInt(so + STRIPE_COUNT);
        buf.putInt(so + STRIPE_POS, pos);
        buf.putInt(so + STRIPE_ENTRY, e);
        buf.putInt(so + STRIPE_COUNT_BEFORE, count);
        buf.putIntRelease(so + STRIPE_OP, OP_INSERT);
        CrashPoint.INSERT_JOURNALED.reach();
        allocator.setKind(e, KIND_LIVE);
        CrashPoint.INSERT_LIVE.reach();
        buf.putIntRelease(store.indexAt(pos), hash32 << store.indexBits | (e + 1)); // commit
        CrashPoint.INSERT_COMMITTED.reach();
        buf.putInt(so + STRIPE_COUNT, count + 1);
        CrashPoint.INSERT_COUNTED.reach();
        buf.putInt(so + STRIPE_PENDING, 0);
        buf.putIntRelease(so + STRIPE_OP, OP_NONE);
        t.changed = true;
    }

    /** Update of the key at {@code pos}: copy on write into the stripe's spare, swapped in by one index store (the commit). */
    private void update(ThreadState t, K key, V value, int hash32, int pos, int old) {
        int s = store.stripeOf(pos);
        int so = store.stripeAt(s);
        int spare = buf.getInt(so + STRIPE_SPARE);
        if (spare < 0 || spare >= store.entries) {
            throw store.damaged("stripe's spare names no entry: stripe=" + s + ", spare=" + spare);
        }
        int xo = store.entryAt(spare);
        store.values.write(buf, xo + store.valueOffset, value); // the spare is held: no reader looks at it
        buf.putInt(xo + ENTRY_HASH, hash32);
        store.keys.write(buf, xo + ENTRY_KEY, key, t.keyBytes);
        CrashPoint.UPDATE_SPARE_WRITTEN.reach();
        buf.putInt(so + STRIPE_POS, pos);
        buf.putInt(so + STRIPE_ENTRY, old);
        buf.putInt(so + STRIPE_OTHER, spare);
        buf.putIntRelease(so + STRIPE_OP, OP_UPDATE);
        CrashPoint.UPDATE_JOURNALED.reach();
        allocator.setKind(spare, KIND_LIVE);
        CrashPoint.UPDATE_LIVE.reach();
        buf.putIntRelease(store.indexAt(pos), hash32 << store.indexBits | (spare + 1)); // commit
        CrashPoint.UPDATE_COMMITTED.reach();
        allocator.setKind(old, KIND_HELD);
        CrashPoint.UPDATE_OLD_HELD.reach();
        buf.putInt(so + STRIPE_SPARE, old);
        buf.putIntRelease(so + STRIPE_OP, OP_NONE);
        t.changed = true;
    }

    /** Removal of the key at {@code pos}: journaled, shifted out of the index, then its entry freed with the journal closed. */
    private void remove(ThreadState t, int pos, int entry) {
        int s = store.stripeOf(pos);
        int so = store.stripeAt(s);
        int count = buf.getInt(so + STRIPE_COUNT);
        buf.putInt(so + STRIPE_POS, pos);
        buf.putInt(so + STRIPE_ENTRY, entry);
        buf.putInt(so + STRIPE_COUNT_BEFORE, count);
        buf.putInt(so + STRIPE_HOLE, pos);
        buf.putIntRelease(so + STRIPE_OP, OP_REMOVE);
        VarHandle.storeStoreFence();
        CrashPoint.REMOVE_JOURNALED.reach();
        shift.vacate(s, pos);
        CrashPoint.REMOVE_SHIFTED.reach();
        buf.putInt(so + STRIPE_COUNT, count - 1);
        CrashPoint.REMOVE_COUNTED.reach();
        allocator.push(s, entry); // closes the journal in the allocator's critical section
        t.changed = true;
    }
}
