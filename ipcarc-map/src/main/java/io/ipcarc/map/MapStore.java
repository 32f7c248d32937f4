package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.FutexWord;
import io.ipcarc.IpcArc;
import io.ipcarc.PayloadLock;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One process's handle of a map's payload: the geometry, the key and value codecs, the locks,
 * and the lock-free read protocols (docs/map.md, "Lookup"). Writes are {@link MapWriter}'s,
 * repairs {@link StripeRepair}'s and {@link EntryAllocator}'s.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class MapStore<K, V> {
    static final int PRESENCE = 0;
    static final int DECODE = 1;
    static final int COPY = 2;
    /** A probe's result: the key is not in the map. */
    static final Object MISS = new Object();
    /** A probe's result: a stripe's index moved under a versioned probe; probe again. */
    private static final Object RETRY = new Object();

    final IpcArc<byte[]> arc;
    final String name;
    final SharedBuffer buf;
    final Geometry geometry;
    final KeyCodec<K> keys;
    final ShmType<V> values;
    final PayloadLock[] stripeLocks;
    final PayloadLock allocatorLock;
    final FutexWord changes;
    final MapRepairListener listener;

    final int stripes;
    final int stripeSlots;
    final int indexSlots;
    final int indexBits;
    final int indexMask;
    final int entries;
    final int entrySize;
    final int valueOffset;
    final int valueSize;
    final int indexOffset;
    final int entriesOffset;
    final int stripesOffset;

    private final ThreadLocal<ThreadState> threads;

    MapStore(IpcArc<byte[]> arc, Geometry g, KeyCodec<K> keys, ShmType<V> values, MapRepairListener listener) {
        this.arc = arc;
        this.name = arc.name();
        this.buf = arc.buffer();
        this.geometry = g;
        this.keys = keys;
        this.values = values;
        this.listener = listener;
        this.stripes = g.stripes();
        this.stripeSlots = g.stripeSlots();
        this.indexSlots = g.indexSlots();
        this.indexBits = g.indexBits();
        this.indexMask = g.indexMask();
        this.entries = g.entries();
        this.entrySize = g.entrySize();
        this.valueOffset = g.valueOffset();
        this.valueSize = g.valueSize();
        this.indexOffset = g.indexOffset();
        this.entriesOffset = g.entriesOffset();
        this.stripesOffset = MapDescriptor.stripesOffset(stripes);
        this.stripeLocks = new PayloadLock[stripes];
        for (int i = 0; i < stripes; i++) {
            stripeLocks[i] = arc.payloadLock(stripeLock(i));
        }
        this.allocatorLock = arc.payloadLock(allocatorLock(stripes));
        this.changes = arc.futexWord(CHANGE_COUNTER_OFFSET); // the counter's low half (little-endian)
        int stride = keys.stride;
        this.threads = ThreadLocal.withInitial(() -> new ThreadState(stride, stripes));
    }

    ThreadState thread() {
        return threads.get();
    }

    // Offsets.

    int indexAt(int pos) {
        return indexOffset + (pos << 2);
    }

    int entryAt(int entry) {
        return entriesOffset + entry * entrySize;
    }

    int stripeAt(int stripe) {
        return stripesOffset + stripe * STRIPE_SIZE;
    }

    int home(int hash32) {
        return (int) (((hash32 & 0xFFFFFFFFL) * indexSlots) >>> 32);
    }

    int stripeOf(int pos) {
        return pos / stripeSlots;
    }

    /** The entry an index word names, checked against the map's size. */
    int entryOf(int word, int pos) {
        int e = (word & indexMask) - 1;
        if (e < 0 || e >= entries) {
            throw damaged("index word names no entry: pos=" + pos + ", word=0x" + Integer.toHexString(word));
        }
        return e;
    }

    static boolean isLive(int word, int mask) {
        int idx = word & mask;
        return idx != 0 && idx != mask;
    }

    CorruptSegmentException damaged(String what) {
        return new CorruptSegmentException("map damaged: name=" + name + ", " + what, name);
    }

    // Lock-free reads.

    /**
     * Looks a key up without a lock (docs/map.md, "Lookup").
     *
     * @param mode {@link #PRESENCE}, {@link #DECODE} or {@link #COPY}
     * @param into where {@link #COPY} copies the value's bytes
     * @return {@link #MISS}, or the value ({@link #DECODE}), or {@code Boolean.TRUE}
     */
    Object lookup(K key, int mode, byte[] into) {
        byte[] scratch = keys.usesScratch() ? thread().keyBytes : null;
        int hash32 = MapHash.hash32(keys.hash(key, scratch));
        Object r = probe(key, scratch, hash32, mode, into, false);
        while (r == MISS || r == RETRY) {
            // A miss counts only if no stripe it crossed moved an index word meanwhile.
            r = probe(key, scratch, hash32, mode, into, true);
            if (r == MISS) {
                return MISS;
            }
        }
        return r;
    }

    private Object probe(K key, byte[] scratch, int hash32, int mode, byte[] into, boolean versioned) {
        int pos = home(hash32);
        int tagged = hash32 << indexBits;
        int stripe = stripeOf(pos);
        int end = (stripe + 1) * stripeSlots;
        int firstStripe = stripe;
        int stripesSeen = 1;
        long versions = versioned ? version(stripe) : 0;
        for (int n = 0; n < indexSlots; ) {
            int wo = indexAt(pos);
            int w = buf.getInt(wo);
            VarHandle.acquireFence();
            int idx = w & indexMask;
            if (idx == 0) {
                break; // empty: the key is nowhere further on
            }
            if (idx != indexMask && (w & ~indexMask) == tagged) {
                int eo = entryAt(entryOf(w, pos));
                int st = buf.getInt(eo + ENTRY_STATE);
                VarHandle.acquireFence();
                Object hit = null;
                RuntimeException failure = null;
                if ((st & KIND_MASK) == KIND_LIVE && buf.getInt(eo + ENTRY_HASH) == hash32
                        && keys.matches(buf, eo + ENTRY_KEY, key, scratch)) {
                    try {
                        hit = readValue(eo, mode, into);
                    } catch (RuntimeException e) {
                        failure = e; // a torn copy, unless the entry did not change
                    }
                }
                if (changed(wo, w, eo, st)) {
                    continue; // the slot or its entry changed while we looked: look at the slot again
                }
                if (failure != null) {
                    throw failure;
                }
                if (hit != null) {
                    return hit;
                }
            }
            n++;
            if (++pos == end) {
                stripe = (stripe + 1) & (stripes - 1);
                pos = stripe * stripeSlots;
                end = pos + stripeSlots;
                if (versioned) {
                    versions += version(stripe);
                    stripesSeen++;
                }
            }
        }
        if (!versioned) {
            return MISS;
        }
        VarHandle.loadLoadFence();
        long again = 0;
        for (int i = 0; i < stripesSeen; i++) {
            again += version((firstStripe + i) & (stripes - 1));
        }
        return again == versions ? MISS : RETRY;
    }

    /**
     * Whether the word at {@code wo} or its entry's state changed since they were read as
     * {@code w} and {@code st}: the word is loaded again first (acquire), then the state. In this
     * order a word that left and came back (two updates of the key, the entry recycled as the
     * spare in between) shows as a changed state: the entry was made live again before the word
     * named it again. In the other order a reader could see the entry held and the word naming it,
     * two facts never true at once, and skip a key present throughout (jcstress
     * {@code MapEntryReadTest} found it).
     */
    private boolean changed(int wo, int w, int eo, int st) {
        VarHandle.loadLoadFence(); // the copy's loads before these
        int again = buf.getInt(wo);
        VarHandle.acquireFence();
        return again != w || buf.getInt(eo + ENTRY_STATE) != st;
    }

    private Object readValue(int eo, int mode, byte[] into) {
        switch (mode) {
            case DECODE:
                return values.read(buf, eo + valueOffset);
            case COPY:
                buf.getBytes(eo + valueOffset, into, 0, valueSize);
                return Boolean.TRUE;
            default:
                return Boolean.TRUE;
        }
    }

    /** A stripe's version: +1 before every move of one of its index words (acquire). */
    long version(int stripe) {
        return buf.getLongAcquire(stripeAt(stripe) + STRIPE_VERSION);
    }

    /** Live keys: the sum of the stripes' counts. */
    int size() {
        long n = 0;
        for (int i = 0; i < stripes; i++) {
            n += buf.getInt(stripeAt(i) + STRIPE_COUNT) & 0xFFFFFFFFL;
        }
        VarHandle.acquireFence();
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * Hands every key and value to {@code action}, stripe by stripe: each stripe's slots are read
     * until they are read without a move of an index word in between, then its pairs are handed
     * over (a key present throughout is handed over exactly once; one changed meanwhile may show
     * either value, and a key inserted or removed meanwhile may or may not show).
     */
    void forEach(BiConsumer<? super K, ? super V> action) {
        List<K> ks = new ArrayList<>();
        List<V> vs = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int s = 0; s < stripes; s++) {
            long v;
            do {
                ks.clear();
                vs.clear();
                seen.clear();
                v = version(s);
                for (int pos = s * stripeSlots, end = pos + stripeSlots; pos < end; pos++) {
                    readSlot(pos, ks, vs, seen);
                }
                VarHandle.loadLoadFence();
            } while (version(s) != v);
            for (int i = 0; i < ks.size(); i++) {
                action.accept(ks.get(i), vs.get(i));
            }
        }
    }

    private void readSlot(int pos, List<K> ks, List<V> vs, Set<Integer> seen) {
        int wo = indexAt(pos);
        while (true) {
            int w = buf.getInt(wo);
            VarHandle.acquireFence();
            if (!isLive(w, indexMask)) {
                return;
            }
            int e = entryOf(w, pos);
            int eo = entryAt(e);
            int st = buf.getInt(eo + ENTRY_STATE);
            VarHandle.acquireFence();
            K k = null;
            V val = null;
            RuntimeException failure = null;
            if ((st & KIND_MASK) == KIND_LIVE) {
                try {
                    k = keys.read(buf, eo + ENTRY_KEY);
                    val = values.read(buf, eo + valueOffset);
                } catch (RuntimeException ex) {
                    failure = ex;
                }
            }
            if (changed(wo, w, eo, st)) {
                continue;
            }
            if (failure != null) {
                throw failure;
            }
            if (k != null && seen.add(e)) { // a word copied by a move (in progress, or left by a writer that died) shows once
                ks.add(k);
                vs.add(val);
            }
            return;
        }
    }

    // Changes.

    /** The change counter (acquire). */
    long changeCount() {
        return buf.getLongAcquire(CHANGE_COUNTER_OFFSET);
    }

    /** Counts a completed change and wakes the threads waiting for one. */
    void changed() {
        buf.getAndAddLong(CHANGE_COUNTER_OFFSET, 1); // a full fence, before the waiters flag is read
        if (buf.getIntVolatile(CHANGE_WAITERS_OFFSET) != 0 && buf.compareAndSetInt(CHANGE_WAITERS_OFFSET, 1, 0)) {
            changes.wakeAll();
        }
    }

    /**
     * Waits until the change counter differs from {@code seen}, asleep in the kernel in slices of
     * at most 50 ms, or until the deadline.
     *
     * @return the counter
     */
    long awaitChange(long seen, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (int spin = 0; ; spin++) {
            long now = changeCount();
            if (now != seen) {
                return now;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a change: name=" + name);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return now;
            }
            if (spin < 100) {
                Thread.onSpinWait();
                continue;
            }
            // Dekker with changed(): the flag is stored (volatile) before the counter is read again.
            buf.putIntVolatile(CHANGE_WAITERS_OFFSET, 1);
            if (buf.getLongVolatile(CHANGE_COUNTER_OFFSET) != seen) {
                continue;
            }
            changes.await((int) seen, Math.min(left, 50_000_000L));
        }
    }

    /** @return the state of an entry's kind for messages */
    static String kindName(int state) {
        switch (state & KIND_MASK) {
            case KIND_FREE:
                return "free";
            case KIND_LIVE:
                return "live";
            case KIND_HELD:
                return "held";
            default:
                return "kind" + (state & KIND_MASK);
        }
    }
}
