package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.PayloadGuard;
import io.ipcarc.SharedBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A full consistency check of a map, made under every stripe lock and the allocator's (each
 * repaired first, as any writer would): every live index word names a live entry of its tag,
 * reachable from its key's home slot without crossing an empty one; no entry is named twice and
 * no key stored twice; each stripe's count is its live words; every entry is exactly one of
 * named, a stripe's spare, on the free list, or never used (no orphan); no journal is open.
 */
final class MapCheck {
    private final MapStore<?, ?> store;
    private final SharedBuffer buf;
    private final List<String> problems = new ArrayList<>();

    private MapCheck(MapStore<?, ?> store) {
        this.store = store;
        this.buf = store.buf;
    }

    /** @return the problems found, none if the map is consistent */
    static List<String> run(MapStore<?, ?> store, StripeLocks locks, EntryAllocator allocator) {
        ThreadState t = store.thread();
        for (int s = 0; s < store.stripes; s++) {
            locks.acquire(t, s);
        }
        try (PayloadGuard a = allocator.lock()) {
            MapCheck c = new MapCheck(store);
            c.check();
            return c.problems;
        } finally {
            locks.releaseAll(t);
        }
    }

    private void problem(String p) {
        if (problems.size() < 50) {
            problems.add(p);
        }
    }

    private void check() {
        int entries = store.entries;
        BitSet named = new BitSet(entries);
        Set<String> keys = new HashSet<>();
        int mask = store.indexMask;
        int tagMaskShifted = ~mask;
        for (int s = 0; s < store.stripes; s++) {
            int live = 0;
            for (int p = s * store.stripeSlots, end = p + store.stripeSlots; p < end; p++) {
                int w = buf.getInt(store.indexAt(p));
                if (!MapStore.isLive(w, mask)) {
                    if ((w & mask) == 0 && w != EMPTY) {
                        problem("slot " + p + " has an empty entry part but other bits: 0x" + Integer.toHexString(w));
                    }
                    continue;
                }
                live++;
                int e = (w & mask) - 1;
                if (e >= entries) {
                    problem("slot " + p + " names no entry: " + e);
                    continue;
                }
                if (named.get(e)) {
                    problem("entry " + e + " named twice (again at slot " + p + ")");
                }
                named.set(e);
                int eo = store.entryAt(e);
                int st = buf.getInt(eo + ENTRY_STATE);
                int hash32 = buf.getInt(eo + ENTRY_HASH);
                if ((st & KIND_MASK) != KIND_LIVE) {
                    problem("slot " + p + " names entry " + e + " which is " + MapStore.kindName(st));
                }
                if ((w & tagMaskShifted) != (hash32 << store.indexBits)) {
                    problem("slot " + p + " has a tag that is not its entry's: entry " + e);
                }
                byte[] key = new byte[store.keys.stride];
                buf.getBytes(eo + ENTRY_KEY, key, 0, key.length);
                if (!keys.add(HexFormat.of().formatHex(key))) {
                    problem("key stored twice: " + HexFormat.of().formatHex(key) + " (again at slot " + p + ")");
                }
                if (MapHash.hash32(MapHash.of(key, key.length)) != hash32) {
                    problem("entry " + e + " at slot " + p + " has a hash that is not its key's");
                }
                for (int q = store.home(hash32); q != p; q = q + 1 == store.indexSlots ? 0 : q + 1) {
                    if ((buf.getInt(store.indexAt(q)) & mask) == 0) {
                        problem("slot " + p + " is unreachable from its home " + store.home(hash32) + ": slot " + q + " is empty");
                        break;
                    }
                }
            }
            int so = store.stripeAt(s);
            if (buf.getInt(so + STRIPE_COUNT) != live) {
                problem("stripe " + s + " counts " + buf.getInt(so + STRIPE_COUNT) + " keys, holds " + live);
            }
            if (buf.getInt(so + STRIPE_OP) != OP_NONE || buf.getInt(so + STRIPE_PENDING) != 0) {
                problem("stripe " + s + " journal open: op=" + buf.getInt(so + STRIPE_OP) + ", pending=" + buf.getInt(so + STRIPE_PENDING));
            }
        }
        accountEntries(named);
    }

    private void accountEntries(BitSet named) {
        int entries = store.entries;
        BitSet owned = (BitSet) named.clone();
        for (int s = 0; s < store.stripes; s++) {
            int spare = buf.getInt(store.stripeAt(s) + STRIPE_SPARE);
            if (spare < 0 || spare >= entries || owned.get(spare)) {
                problem("stripe " + s + " spare is not its own: " + spare);
                continue;
            }
            owned.set(spare);
            if ((buf.getInt(store.entryAt(spare) + ENTRY_STATE) & KIND_MASK) != KIND_HELD) {
                problem("stripe " + s + " spare " + spare + " is not held");
            }
        }
        int head = buf.getInt(FREE_HEAD_OFFSET);
        for (int n = 0; head != 0 && n <= entries; n++) {
            int e = head - 1;
            if (e < 0 || e >= entries || owned.get(e)) {
                problem("free list reaches an entry in use or none: " + e);
                break;
            }
            owned.set(e);
            if ((buf.getInt(store.entryAt(e) + ENTRY_STATE) & KIND_MASK) != KIND_FREE) {
                problem("free entry " + e + " is not free");
            }
            head = buf.getInt(store.entryAt(e) + ENTRY_KEY);
        }
        int bump = buf.getInt(BUMP_OFFSET);
        for (int e = Math.max(0, bump); e < entries; e++) {
            if (owned.get(e)) {
                problem("entry " + e + " beyond the bump " + bump + " is in use");
            }
            owned.set(e);
        }
        if (owned.cardinality() != entries) {
            BitSet orphans = (BitSet) owned.clone();
            orphans.flip(0, entries);
            problem("orphan entries (neither named, spare, free nor unused): " + orphans);
        }
        if (buf.getInt(ALLOC_OP_OFFSET) != ALLOC_NONE) {
            problem("allocator journal open: op=" + buf.getInt(ALLOC_OP_OFFSET));
        }
    }
}
