package io.ipcarc.map;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArc;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.ShmType;
import io.ipcarc.TypeMismatchException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Many typed keys and values in one shared-memory segment, used by any number of processes:
 * lock-free reads that never see a torn value and never wait, even for a writer that died;
 * writes under the lock of the key's stripe, crash-atomic at every instant, so that a process
 * killed inside {@code put}, {@code remove} or {@code compute} leaves every key at its old or its
 * new value, and the next writer of that stripe repairs what it left within microseconds (and is
 * told: {@link MapOptions#withRepairListener}, and a log line). Layout and protocols: docs/map.md.
 *
 * <pre>{@code
 * record Position(long quantity, double price) {}
 *
 * try (IpcMap<String, Position> m = IpcMap.openOrCreate("/positions", String.class, Position.class,
 *         MapOptions.capacity(100_000).withKeyCapacity(16))) {
 *     m.put("AAPL", new Position(100, 187.5));
 *     Position p = m.get("AAPL");                                     // lock-free, never torn, never waits
 *     m.compute("AAPL", (k, v) -> new Position(v.quantity() + 10, v.price())); // under the key's lock
 *     m.remove("MSFT");
 * }
 * }</pre>
 *
 * <p>Keys are {@code Long}, {@code Integer}, other integers, {@code String}s of a declared
 * capacity ({@link MapOptions#withKeyCapacity}), enums, and records and arrays of those; two keys
 * are the same when their stored bytes are. Values are any payload type {@link IpcArc} accepts.
 * The capacity is fixed when the map is created; a put of a new key into a full map throws
 * {@link MapFullException} and changes nothing. Nulls are neither keys nor values.
 *
 * <p>Instances are thread-safe. The last close of all processes removes the map, as for any
 * {@link IpcArc} segment.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class IpcMap<K, V> implements AutoCloseable {
    private final IpcArc<byte[]> arc;
    private final MapStore<K, V> store;
    private final MapWriter<K, V> writer;
    private final StripeLocks locks;
    private final EntryAllocator allocator;
    private final RepairReporter reporter;

    private IpcMap(IpcArc<byte[]> arc, ShmType<K> keyType, ShmType<V> valueType, MapRepairListener listener) {
        this.arc = arc;
        try {
            if (arc.payloadMode() != ArcOptions.PayloadMode.RAW) {
                throw new CorruptSegmentException("map segment is not raw: name=" + arc.name() + ", payloadMode="
                        + arc.payloadMode(), arc.name());
            }
            Geometry g = Geometry.read(arc.buffer(), arc.name());
            MapTypes.check(arc, g, keyType, valueType);
            this.store = new MapStore<>(arc, g, KeyCodec.of(keyType), valueType, listener);
            this.reporter = new RepairReporter(arc.name(), store.buf, listener);
            this.allocator = new EntryAllocator(store, reporter);
            BackwardShift shift = new BackwardShift(store);
            this.locks = new StripeLocks(store, new StripeRepair(store, allocator, shift, reporter));
            this.writer = new MapWriter<>(store, locks, allocator, shift);
        } catch (RuntimeException e) {
            arc.close();
            throw e;
        }
    }

    /**
     * Creates a map.
     *
     * @param name segment name
     * @param keyClass {@code Long}, {@code Integer}, {@code String} (with {@link MapOptions#withKeyCapacity}), an enum or a record
     * @param valueClass a boxed primitive, a record, an enum, {@code String} or {@code byte[]} (with
     *     {@link MapOptions#withValueCapacity})
     * @param options capacity and the rest
     * @param <K> key type
     * @param <V> value type
     * @return the first handle
     * @throws SegmentExistsException if the name is taken
     * @throws IllegalArgumentException if a type cannot be a key or value, or the map does not fit in one segment
     */
    public static <K, V> IpcMap<K, V> create(String name, Class<K> keyClass, Class<V> valueClass, MapOptions options) {
        return create(name, MapTypes.keyType(keyClass, options), MapTypes.valueType(valueClass, options), options);
    }

    /**
     * Creates a map of the given types.
     *
     * @param name segment name
     * @param keyType the key type
     * @param valueType the value type
     * @param options capacity and the rest (capacities of strings come from the types)
     * @param <K> key type
     * @param <V> value type
     * @return the first handle
     * @throws SegmentExistsException if the name is taken
     */
    public static <K, V> IpcMap<K, V> create(String name, ShmType<K> keyType, ShmType<V> valueType, MapOptions options) {
        Objects.requireNonNull(options, "options");
        KeyCodec.of(keyType); // refuses a type that cannot be a key, before anything is created
        Geometry g = MapImage.plan(keyType, valueType, options);
        IpcArc<byte[]> arc = IpcArc.create(name, ShmType.bytes(MapDescriptor.TYPE_TAG, g.payloadSize()),
                MapImage.of(g, keyType, valueType), segmentOptions(options, g));
        return new IpcMap<>(arc, keyType, valueType, options.repairListener());
    }

    /**
     * Loads an existing map, checking its key and value types ({@code String} keys and
     * {@code String} or {@code byte[]} values take the capacity the map was created with).
     *
     * @param name segment name
     * @param keyClass the key class it was created with
     * @param valueClass the value class it was created with
     * @param <K> key type
     * @param <V> value type
     * @return a new handle
     * @throws SegmentNotFoundException if there is none
     * @throws TypeMismatchException if it is not a map, or holds other keys or values
     */
    public static <K, V> IpcMap<K, V> load(String name, Class<K> keyClass, Class<V> valueClass) {
        return load(name, keyClass, valueClass, null);
    }

    /**
     * Loads an existing map with a listener for the repairs this handle makes.
     *
     * @param name segment name
     * @param keyClass the key class it was created with
     * @param valueClass the value class it was created with
     * @param listener told of each repair, or {@code null}
     * @param <K> key type
     * @param <V> value type
     * @return a new handle
     * @throws SegmentNotFoundException if there is none
     * @throws TypeMismatchException if it is not a map, or holds other keys or values
     */
    public static <K, V> IpcMap<K, V> load(String name, Class<K> keyClass, Class<V> valueClass, MapRepairListener listener) {
        Objects.requireNonNull(keyClass, "keyClass");
        Objects.requireNonNull(valueClass, "valueClass");
        IpcArc<byte[]> arc = MapTypes.loadSegment(name);
        ShmType<K> keyType;
        ShmType<V> valueType;
        try {
            Geometry g = Geometry.read(arc.buffer(), arc.name());
            keyType = MapTypes.storedOrClass(keyClass, MapTypes.storedKeyLayout(arc, g), true, arc.name());
            valueType = MapTypes.storedOrClass(valueClass, MapTypes.storedValueLayout(arc, g), false, arc.name());
        } catch (RuntimeException e) {
            arc.close();
            throw e;
        }
        return new IpcMap<>(arc, keyType, valueType, listener);
    }

    /**
     * Loads an existing map of exactly these types.
     *
     * @param name segment name
     * @param keyType the key type
     * @param valueType the value type
     * @param listener told of each repair, or {@code null}
     * @param <K> key type
     * @param <V> value type
     * @return a new handle
     * @throws SegmentNotFoundException if there is none
     * @throws TypeMismatchException if it is not a map, or holds other keys or values
     */
    public static <K, V> IpcMap<K, V> load(String name, ShmType<K> keyType, ShmType<V> valueType, MapRepairListener listener) {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        return new IpcMap<>(MapTypes.loadSegment(name), keyType, valueType, listener);
    }

    /**
     * Loads the map if it exists, creates it otherwise. Among any number of concurrent callers in
     * any processes exactly one creates it; the others load that one. An existing map keeps its
     * capacity and stripes; its types must be these.
     *
     * @param name segment name
     * @param keyClass the key class
     * @param valueClass the value class
     * @param options how to create it, and the repair listener
     * @param <K> key type
     * @param <V> value type
     * @return a handle; {@link #created()} tells which happened
     * @throws TypeMismatchException if it exists with other types
     */
    public static <K, V> IpcMap<K, V> openOrCreate(String name, Class<K> keyClass, Class<V> valueClass, MapOptions options) {
        return openOrCreate(name, MapTypes.keyType(keyClass, options), MapTypes.valueType(valueClass, options), options);
    }

    /**
     * Loads the map if it exists, creates it otherwise, with these types.
     *
     * @param name segment name
     * @param keyType the key type
     * @param valueType the value type
     * @param options how to create it, and the repair listener
     * @param <K> key type
     * @param <V> value type
     * @return a handle; {@link #created()} tells which happened
     * @throws TypeMismatchException if it exists with other types
     */
    public static <K, V> IpcMap<K, V> openOrCreate(String name, ShmType<K> keyType, ShmType<V> valueType, MapOptions options) {
        Objects.requireNonNull(options, "options");
        for (int attempt = 0; ; attempt++) {
            try {
                return load(name, keyType, valueType, options.repairListener());
            } catch (SegmentNotFoundException e) {
                try {
                    return create(name, keyType, valueType, options);
                } catch (SegmentExistsException again) {
                    if (attempt > 100) {
                        throw again;
                    }
                }
            }
        }
    }

    private static ArcOptions segmentOptions(MapOptions options, Geometry g) {
        return options.arcOptions().withPayloadMode(ArcOptions.PayloadMode.RAW)
                .withPayloadLocks(MapDescriptor.LOCKS_OFFSET, g.stripes() + 1);
    }

    /**
     * The value of a key, read without a lock: never torn, never waiting for a writer (alive or dead).
     *
     * @param key the key
     * @return its value, or {@code null} if the map does not hold it
     */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Objects.requireNonNull(key, "key");
        try {
            Object r = store.lookup(key, MapStore.DECODE, null);
            return r == MapStore.MISS ? null : (V) r;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * Copies the value's bytes (its stored form, {@link #valueType()}'s layout) into {@code into},
     * read as {@link #get(Object)} reads, without allocating. Decode them with
     * {@code valueType().read(SharedView.wrap(into), 0)}, or read single fields from a view of
     * {@code into} kept for the purpose.
     *
     * @param key the key
     * @param into at least {@code valueType().size()} bytes
     * @return whether the map holds the key (if not, {@code into} is unchanged)
     */
    public boolean get(K key, byte[] into) {
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(0, store.valueSize, into.length);
        try {
            return store.lookup(key, MapStore.COPY, into) != MapStore.MISS;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * Whether the map holds a key, read without a lock.
     *
     * @param key the key
     * @return whether it holds it
     */
    public boolean containsKey(K key) {
        Objects.requireNonNull(key, "key");
        try {
            return store.lookup(key, MapStore.PRESENCE, null) != MapStore.MISS;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * Sets a key's value, under its stripe's lock.
     *
     * @param key the key
     * @param value its new value
     * @return the previous value, or {@code null} if the key was not there
     * @throws MapFullException if the key is new and the map is full
     */
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        return (V) write(MapWriter.PUT, key, value, null);
    }

    /**
     * Sets a key's value as {@link #put} does, without reading the previous value: no value is
     * decoded. The stripe lock's guard is still allocated ({@code PayloadLock.tryAcquire()} hands
     * one out per write: 56 bytes a call, measured in docs/benchmarks.md).
     *
     * @param key the key
     * @param value its new value
     * @return whether the key was there (its value replaced)
     * @throws MapFullException if the key is new and the map is full
     */
    public boolean set(K key, V value) {
        return write(MapWriter.SET, key, value, null) == MapWriter.REPLACED;
    }

    /**
     * Sets a key's value unless it has one.
     *
     * @param key the key
     * @param value the value if the key is new
     * @return the value the key has, or {@code null} if it was added
     * @throws MapFullException if the key is new and the map is full
     */
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        return (V) write(MapWriter.PUT_IF_ABSENT, key, value, null);
    }

    /**
     * Removes a key.
     *
     * @param key the key
     * @return its value, or {@code null} if the map did not hold it
     */
    @SuppressWarnings("unchecked")
    public V remove(K key) {
        return (V) write(MapWriter.REMOVE, key, null, null);
    }

    /**
     * Computes a key's new value from its current one under the key's stripe lock: atomic with
     * respect to every other write, crash-atomic (a process killed inside leaves the old value).
     * The function must not write to this map (that is an {@link IllegalStateException}) and
     * should be quick: the stripe's other writers wait for it.
     *
     * @param key the key
     * @param function given the key and its value ({@code null} if absent), returns the new value,
     *     or {@code null} to remove the key; if it throws, nothing changes
     * @return the new value, or {@code null} if there is none
     * @throws MapFullException if the key is new, the function returns a value and the map is full
     */
    @SuppressWarnings("unchecked")
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        return (V) write(MapWriter.COMPUTE, key, null, function);
    }

    /**
     * The number of keys: the sum of the stripes' counts. Exact when no write is in progress; a
     * write in progress may or may not be counted yet, and a stripe whose writer was killed is
     * counted as its repair will leave it once its next writer (or {@link #repair()}) has run.
     *
     * @return keys in the map
     */
    public int size() {
        try {
            return store.size();
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * Whether the map holds no key.
     *
     * @return {@code size() == 0}
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * The most keys the map holds, fixed when it was created.
     *
     * @return the capacity
     */
    public int capacity() {
        return store.geometry.capacity();
    }

    /**
     * Hands every key and value to {@code action}, without a lock, stripe by stripe: a key that
     * is in the map throughout the call is handed over exactly once; one changed meanwhile with
     * either value; one added or removed meanwhile may or may not be.
     *
     * @param action called once per key
     */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        try {
            store.forEach(action);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * A number that grows each time a write changes the map, in any process.
     *
     * @return the change count
     */
    public long version() {
        return store.changeCount();
    }

    /**
     * Waits, asleep in the kernel, until a write changes the map in any process.
     *
     * @param version a value of {@link #version()}
     * @return the new version
     * @throws InterruptedException if interrupted while waiting
     */
    public long awaitChange(long version) throws InterruptedException {
        return store.awaitChange(version, Long.MAX_VALUE / 4);
    }

    /**
     * Waits, asleep in the kernel, until a write changes the map or the timeout passes.
     *
     * @param version a value of {@link #version()}
     * @param timeout the longest wait
     * @return the new version, or {@code version} if nothing changed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public long awaitChange(long version, Duration timeout) throws InterruptedException {
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 4 : Math.max(0, timeout.toNanos());
        return store.awaitChange(version, nanos);
    }

    /**
     * Takes every stripe's lock (and the allocator's) in turn, repairing what killed writers left,
     * without waiting for the next write to each stripe. Writes repair what they meet anyway; this
     * is for tools and tests that want the map tidy now.
     *
     * @return the repairs made
     */
    public int repair() {
        long before = reporter.count();
        ThreadState t = store.thread();
        for (int s = 0; s < store.stripes; s++) {
            locks.acquire(t, s);
            locks.releaseAll(t);
        }
        allocator.lock().close();
        return (int) (reporter.count() - before);
    }

    /** @return the store, for tests of the layout */
    MapStore<K, V> store() {
        return store;
    }

    /** The problems {@link MapCheck} finds, under every lock; none for a consistent map. For tests. */
    java.util.List<String> check() {
        return MapCheck.run(store, locks, allocator);
    }

    /**
     * The repairs this handle has made.
     *
     * @return how many times it found a stripe (or the allocator) left mid-operation and repaired it
     */
    public long repairs() {
        return reporter.count();
    }

    /**
     * A snapshot for monitoring: the map's size, capacity, stripes, change count and open handles
     * now, and this process's counts of waits for the map's locks, of locks taken over from a
     * holder that died, and this handle's repairs ({@link MapStatistics} says which is which).
     * Asks the segment for its statistics ({@link IpcArc#statistics()}) and sums the stripes'
     * counts: meant for a metrics scrape, not for a hot loop. Counting costs the writes nothing
     * unless they wait or repair.
     *
     * <pre>{@code
     * MapStatistics s = positions.statistics();
     * System.out.println(s.size() + "/" + s.capacity() + " keys, " + s.lockWaits() + " waits, " + s.lockWaitTime() + " waited");
     * }</pre>
     *
     * @return the snapshot
     * @throws IllegalStateException if this handle is closed
     */
    public MapStatistics statistics() {
        try {
            return MapStatistics.of(this, arc.statistics(), reporter.count());
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * The segment name.
     *
     * @return the map's name
     */
    public String name() {
        return arc.name();
    }

    /**
     * The key type, as stored.
     *
     * @return the key type
     */
    public ShmType<K> keyType() {
        return store.keys.type;
    }

    /**
     * The value type, as stored.
     *
     * @return the value type
     */
    public ShmType<V> valueType() {
        return store.values;
    }

    /**
     * The number of stripes, each with its own lock.
     *
     * @return stripes
     */
    public int stripes() {
        return store.stripes;
    }

    /**
     * Whether this handle created the map.
     *
     * @return true if it was created by this call, false if loaded
     */
    public boolean created() {
        return arc.created();
    }

    /**
     * Open handles of the map's segment, all processes.
     *
     * @return the segment's reference count
     */
    public long refCount() {
        return arc.refCount();
    }

    /**
     * Whether this handle is open.
     *
     * @return false once closed
     */
    public boolean isOpen() {
        return arc.isOpen();
    }

    /** Closes this handle; the last close of all processes removes the map. */
    @Override
    public void close() {
        arc.close();
    }

    private Object write(int kind, K key, V value, BiFunction<? super K, ? super V, ? extends V> fn) {
        try {
            return writer.write(kind, key, value, fn);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * A memory fault inside the map's code: another process truncated its segment, and HotSpot
     * delivered the fault after the access that made it (docs/design.md, "Truncation").
     */
    private CorruptSegmentException fault(InternalError e) {
        return new CorruptSegmentException("memory fault inside the map (its segment was truncated by another process?): name="
                + name() + ", cause=" + e.getMessage(), name(), e);
    }

    @Override
    public String toString() {
        return "IpcMap[" + name() + ", " + keyType().descriptor() + " -> " + valueType().descriptor() + ", capacity="
                + capacity() + "]";
    }
}
