package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.FutexWord;
import io.ipcarc.IpcArc;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import io.ipcarc.TypeMismatchException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A single-writer, multi-reader ring of fixed-size typed entries in one IpcArc segment. Each
 * entry is a value of a {@link ShmType} (a record, a primitive, or {@code bytes(n)}); up to 64
 * readers, each with its position stored in shared memory, so that a reader that is killed
 * resumes where it stopped. One writer at a time, across all threads and processes. Layout and
 * protocols: docs/ring.md.
 *
 * <pre>{@code
 * record Tick(long seq, double price) {}
 *
 * // producer: reader 0 is registered before the first entry, so it gets every tick
 * try (var ring = Ring.create("/ticks", Tick.class, RingOptions.defaults().withReservedReaders(0));
 *      var writer = ring.claimWriter(WriterMode.LOSSLESS)) {
 *     for (long i = 0; i < 10_000; i++) writer.publish(new Tick(i, 100 + i * 0.01)); // waits for reader 0
 * }
 * // consumer, in another process, started before or after the producer
 * try (var ring = Ring.open("/ticks", Tick.class, Duration.ofMinutes(1));
 *      var reader = ring.claimReader(0)) {
 *     while (reader.position() < 10_000) {
 *         if (reader.poll(e -> System.out.println(e.decode()), 256) == 0) reader.idle(WaitStrategy.BLOCK, 100);
 *         reader.commit();                             // after the output is safe
 *     }
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe; the writer and reader objects they hand out are used by one
 * thread at a time. Closing the ring releases its writer and detaches its readers that are still
 * open, then closes this process's handle of the segment.
 *
 * <p>The last close of all processes removes the segment, unless the ring keeps unread entries
 * ({@link #keepsUnreadEntries()}): its last writer was lossless and a registered reader (reserved,
 * detached, or active) has not committed past the last published entry. Then the segment stays,
 * whether the last close was a {@code close()}, the shutdown hook of a JVM stopped with SIGTERM or
 * the cleaner of a ring left unclosed, until a later {@link #open} and the readers have read
 * everything (the last close then removes it) or {@code ipcarc rm NAME} removes it. A writer
 * killed with SIGKILL leaves an orphan, which keeps everything as well.
 *
 * @param <T> the entry type
 */
public final class Ring<T> implements AutoCloseable {
    private static final long OPEN_POLL_NANOS = 20_000_000L;

    private final IpcArc<byte[]> arc;
    private final SharedBuffer buf;
    private final FutexWord wakeup;
    private final FutexWord room;
    private final ShmType<T> entryType;
    private final int capacity;
    private final int slotSize;
    private final int readerSlots;
    private final int entriesOffset;
    private final int capacityShift;
    private final long ringId;
    private final String entryDescriptor;
    private final RingStatus status;
    private final RingRoles<T> roles;

    private Ring(IpcArc<byte[]> arc, ShmType<T> entryType) {
        this.arc = arc;
        try {
            // First: a ring opened with the wrong entry type is closed again below, and must not
            // discard, as the last close, the entries its readers have not read.
            arc.retainOnLastClose(RingRetention::hasUnreadEntries);
            if (arc.payloadMode() != ArcOptions.PayloadMode.RAW) {
                throw new CorruptSegmentException("ring segment is not raw: name=" + arc.name() + ", payloadMode="
                        + arc.payloadMode(), arc.name());
            }
            SharedBuffer b = arc.buffer();
            if (b.capacity() < READERS_OFFSET || b.getLongAcquire(MAGIC_OFFSET) != MAGIC || b.getInt(VERSION_OFFSET) != VERSION) {
                throw new CorruptSegmentException("not a ring of layout version " + VERSION + ": name=" + arc.name()
                        + ", magic=0x" + Long.toHexString(b.capacity() >= 8 ? b.getLong(MAGIC_OFFSET) : 0), arc.name());
            }
            this.buf = b;
            this.capacity = b.getInt(CAPACITY_OFFSET);
            this.slotSize = b.getInt(SLOT_SIZE_OFFSET);
            this.readerSlots = b.getInt(READER_SLOTS_OFFSET);
            this.ringId = b.getLong(RING_ID_OFFSET);
            int entrySize = b.getInt(ENTRY_SIZE_OFFSET);
            int descriptorLength = b.getInt(ENTRY_DESCRIPTOR_LENGTH_OFFSET);
            long fingerprint = b.getLong(ENTRY_FINGERPRINT_OFFSET);
            if (Integer.bitCount(capacity) != 1 || capacity > MAX_CAPACITY || readerSlots < 1 || readerSlots > MAX_READERS
                    || entrySize < 1 || slotSize != RingDescriptor.slotSize(entrySize) || descriptorLength < 1
                    || descriptorLength > ShmLayout.MAX_DESCRIPTOR_BYTES
                    || payloadSize(capacity, slotSize, readerSlots, descriptorLength) != b.capacity()) {
                throw new CorruptSegmentException("inconsistent ring header: name=" + arc.name() + ", capacity=" + capacity
                        + ", slotSize=" + slotSize + ", entrySize=" + entrySize + ", readerSlots=" + readerSlots
                        + ", entryDescriptorLength=" + descriptorLength + ", payload=" + b.capacity(), arc.name());
            }
            this.entryDescriptor = storedDescriptor(b, descriptorOffset(capacity, slotSize, readerSlots), descriptorLength);
            if (ShmLayout.fingerprint(entryDescriptor) != fingerprint) {
                throw new CorruptSegmentException("ring entry descriptor does not match its fingerprint: name=" + arc.name()
                        + ", fingerprint=0x" + Long.toHexString(fingerprint), arc.name());
            }
            if (!entryDescriptor.equals(entryType.descriptor())) {
                throw new TypeMismatchException("ring entries are of another type: name=" + arc.name() + ", "
                        + ShmLayout.difference(entryType.layout(), entryDescriptor) + ", stored=" + shortly(entryDescriptor),
                        arc.name(), entryType.descriptor(), entryDescriptor);
            }
            this.entryType = entryType;
            this.entriesOffset = RingDescriptor.entriesOffset(readerSlots);
            this.capacityShift = Integer.numberOfTrailingZeros(capacity);
            this.wakeup = arc.futexWord(WAKEUP_OFFSET);
            this.room = arc.futexWord(ROOM_OFFSET);
            this.status = new RingStatus(arc, b, capacity, readerSlots, entriesOffset, slotSize);
            this.roles = new RingRoles<>(this, arc, status);
        } catch (RuntimeException e) {
            arc.close();
            throw e;
        }
    }

    private static String storedDescriptor(SharedBuffer b, int offset, int length) {
        byte[] bytes = new byte[length];
        b.getBytes(offset, bytes, 0, length);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A stored descriptor as a message shows it: whole up to 200 characters. */
    private static String shortly(String descriptor) {
        return descriptor.length() <= 200 ? descriptor : descriptor.substring(0, 197) + "...";
    }

    /**
     * The descriptor of the entry type, as the ring stores it.
     *
     * @return the stored entry descriptor
     */
    public String entryDescriptor() {
        return entryDescriptor;
    }

    /**
     * The IpcArc type of the segment of a ring.
     *
     * @param capacity entries, a power of two
     * @param entryType the entry type
     * @param readerSlots reader slots
     * @return {@code bytes<ipcarc.ring/3>[payload size]}
     */
    public static ShmType<byte[]> segmentType(int capacity, ShmType<?> entryType, int readerSlots) {
        int size;
        try {
            size = payloadSize(RingOptions.checkCapacity(capacity), RingDescriptor.slotSize(entryType.size()), readerSlots,
                    descriptorBytes(entryType).length);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("ring too large for one segment: capacity=" + capacity + ", entry="
                    + entryType.descriptor() + ", readerSlots=" + readerSlots, e);
        }
        return ShmType.bytes(TYPE_TAG, size);
    }

    /**
     * Creates a ring of records or boxed primitives.
     *
     * @param name segment name
     * @param entryClass a record of primitives, or a boxed primitive
     * @param options capacity, reader slots, reserved readers, segment options
     * @param <T> the entry type
     * @return the ring
     * @throws SegmentExistsException if the name is taken
     */
    public static <T> Ring<T> create(String name, Class<T> entryClass, RingOptions options) {
        return create(name, ShmType.of(entryClass), options);
    }

    /**
     * Creates a ring with a fresh random identity.
     *
     * @param name segment name
     * @param entryType the entry type
     * @param options capacity, reader slots, reserved readers, segment options
     * @param <T> the entry type
     * @return the ring
     * @throws SegmentExistsException if the name is taken
     */
    public static <T> Ring<T> create(String name, ShmType<T> entryType, RingOptions options) {
        ShmType<byte[]> segment = segmentType(options.capacity(), entryType, options.readerSlots());
        return new Ring<>(IpcArc.create(name, segment, initialImage(segment.size(), entryType, options), raw(options)),
                entryType);
    }

    /**
     * Opens an existing ring, whatever its capacity and number of readers.
     *
     * @param name segment name
     * @param entryClass the entry class it was created with
     * @param <T> the entry type
     * @return the ring
     * @throws SegmentNotFoundException if there is none
     * @throws TypeMismatchException if the segment is not a ring of this layout version, or holds other entries
     */
    public static <T> Ring<T> open(String name, Class<T> entryClass) {
        return open(name, ShmType.of(entryClass));
    }

    /**
     * Opens an existing ring.
     *
     * @param name segment name
     * @param entryType the entry type it was created with
     * @param <T> the entry type
     * @return the ring
     * @throws SegmentNotFoundException if there is none
     * @throws TypeMismatchException if the segment is not a ring of this layout version, or holds other entries
     */
    public static <T> Ring<T> open(String name, ShmType<T> entryType) {
        Objects.requireNonNull(entryType, "entryType");
        IpcArc<Object> any = IpcArc.load(name);
        ShmLayout layout = any.type().layout();
        if (!(layout instanceof ShmLayout.Bytes b) || !TYPE_TAG.equals(b.tag())) {
            String found = any.type().descriptor();
            any.close();
            if (layout instanceof ShmLayout.Bytes b && (TYPE_TAG_V1.equals(b.tag()) || TYPE_TAG_V2.equals(b.tag()))) {
                throw new TypeMismatchException("ring of layout version " + (TYPE_TAG_V1.equals(b.tag()) ? 1 : 2)
                        + ", which this library no longer reads (it reads "
                        + "version " + VERSION + "): name=" + any.name() + ", found=" + found
                        + "; stop the processes that use it, or remove it with: ipcarc rm " + any.name(), any.name());
            }
            throw new TypeMismatchException("not a ring: name=" + any.name() + ", found=" + found + ", expected=bytes<"
                    + TYPE_TAG + ">[...]", any.name());
        }
        @SuppressWarnings("unchecked")
        IpcArc<byte[]> arc = (IpcArc<byte[]>) (IpcArc<?>) any;
        return new Ring<>(arc, entryType);
    }

    /**
     * Opens a ring, waiting for its segment to appear (for a consumer started before the producer).
     *
     * @param name segment name
     * @param entryClass the entry class it was created with
     * @param timeout the longest wait
     * @param <T> the entry type
     * @return the ring
     * @throws SegmentNotFoundException if there is still none when the timeout expires
     */
    public static <T> Ring<T> open(String name, Class<T> entryClass, Duration timeout) {
        return open(name, ShmType.of(entryClass), timeout);
    }

    /**
     * Opens a ring, waiting for its segment to appear, polling every 20 ms.
     *
     * @param name segment name
     * @param entryType the entry type it was created with
     * @param timeout the longest wait; {@code Duration.ZERO} tries once
     * @param <T> the entry type
     * @return the ring
     * @throws SegmentNotFoundException if there is still none when the timeout expires
     * @throws TypeMismatchException at once, if the name holds something else
     */
    public static <T> Ring<T> open(String name, ShmType<T> entryType, Duration timeout) {
        long wait = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        long start = System.nanoTime();
        while (true) {
            try {
                return open(name, entryType);
            } catch (SegmentNotFoundException e) {
                long left = wait - (System.nanoTime() - start);
                if (left <= 0) {
                    throw new SegmentNotFoundException("ring not found: name=" + e.segment() + ", waited=" + timeout, e.segment());
                }
                LockSupport.parkNanos(Math.min(left, OPEN_POLL_NANOS));
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Opens the ring if it exists (whatever its capacity), creates it otherwise; when it exists,
     * the readers {@code options} reserves are reserved in it too ({@link #reserveReaders}).
     *
     * @param name segment name
     * @param entryType the entry type
     * @param options how to create it
     * @param <T> the entry type
     * @return the ring; {@link #created()} tells which happened
     */
    public static <T> Ring<T> openOrCreate(String name, ShmType<T> entryType, RingOptions options) {
        ShmType<byte[]> segment = segmentType(options.capacity(), entryType, options.readerSlots());
        for (int attempt = 0; ; attempt++) {
            try {
                Ring<T> ring = open(name, entryType);
                try {
                    ring.reserveReaders(options.reservedReaders().stream().mapToInt(Integer::intValue).toArray());
                } catch (RuntimeException e) {
                    ring.close();
                    throw e;
                }
                return ring;
            } catch (SegmentNotFoundException e) {
                try {
                    return new Ring<>(IpcArc.create(name, segment, initialImage(segment.size(), entryType, options),
                            raw(options)), entryType);
                } catch (SegmentExistsException again) {
                    if (attempt > 100) {
                        throw again;
                    }
                }
            }
        }
    }

    /** A ring is a lock-free structure in a single copy of the payload. */
    private static ArcOptions raw(RingOptions options) {
        return options.arcOptions().withPayloadMode(ArcOptions.PayloadMode.RAW);
    }

    private static byte[] descriptorBytes(ShmType<?> entryType) {
        return entryType.descriptor().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] initialImage(int size, ShmType<?> entryType, RingOptions o) {
        byte[] img = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.nativeOrder());
        long id = 0;
        SecureRandom random = new SecureRandom();
        while (id == 0) {
            id = random.nextLong();
        }
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(CAPACITY_OFFSET, o.capacity())
                .putInt(SLOT_SIZE_OFFSET, RingDescriptor.slotSize(entryType.size())).putInt(ENTRY_SIZE_OFFSET, entryType.size())
                .putInt(READER_SLOTS_OFFSET, o.readerSlots()).putLong(ENTRY_FINGERPRINT_OFFSET, entryType.fingerprint())
                .putLong(RING_ID_OFFSET, id).putLong(CREATED_OFFSET, System.currentTimeMillis());
        byte[] descriptor = descriptorBytes(entryType);
        b.putInt(ENTRY_DESCRIPTOR_LENGTH_OFFSET, descriptor.length);
        b.put(descriptorOffset(o.capacity(), RingDescriptor.slotSize(entryType.size()), o.readerSlots()), descriptor);
        for (int reader : o.reservedReaders()) {
            b.putInt(readerSlot(reader) + READER_STATE, ReaderState.DETACHED.code());
        }
        return img;
    }

    /**
     * Returns the segment name.
     *
     * @return the segment name
     */
    public String name() {
        return arc.name();
    }

    /**
     * Returns whether this handle created the segment.
     *
     * @return whether this handle created the segment
     */
    public boolean created() {
        return arc.created();
    }

    /**
     * Returns the random identity chosen when the ring's segment was created.
     *
     * @return the random identity chosen when the ring's segment was created
     */
    public long ringId() {
        return ringId;
    }

    /**
     * Returns the entry type.
     *
     * @return the entry type
     */
    public ShmType<T> entryType() {
        return entryType;
    }

    /**
     * Returns entries in the ring.
     *
     * @return entries in the ring
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns reader slots, ids 0 to {@code readerSlots() - 1}.
     *
     * @return reader slots, ids 0 to {@code readerSlots() - 1}
     */
    public int readerSlots() {
        return readerSlots;
    }

    /**
     * The next sequence the writer will publish: every sequence below it is published (or was,
     * and has been overwritten a ring later).
     *
     * @return that sequence
     */
    public long writePosition() {
        return status.writePosition();
    }

    int capacityShift() {
        return capacityShift;
    }

    /**
     * Returns that reader's committed position (acquire).
     *
     * @param reader a reader id
     * @return that reader's committed position (acquire)
     */
    public long readerPosition(int reader) {
        return status.readerPosition(reader);
    }

    /**
     * Returns the state of its slot (acquire).
     *
     * @param reader a reader id
     * @return the state of its slot (acquire)
     */
    public ReaderState readerState(int reader) {
        return status.readerState(reader);
    }

    /**
     * Returns pid of the process that last claimed its slot, 0 if none (for display).
     *
     * @param reader a reader id
     * @return pid of the process that last claimed its slot, 0 if none (for display)
     */
    public int readerPid(int reader) {
        return status.readerPid(reader);
    }

    /**
     * Returns whether its slot is {@link ReaderState#ACTIVE} and its holder process still holds the segment.
     *
     * @param reader a reader id
     * @return whether its slot is {@link ReaderState#ACTIVE} and its holder process still holds the segment
     */
    public boolean readerAlive(int reader) {
        return status.readerAlive(reader);
    }

    /**
     * Returns entries that reader lost to overruns, in total.
     *
     * @param reader a reader id
     * @return entries that reader lost to overruns, in total
     */
    public long readerLost(int reader) {
        return status.readerLost(reader);
    }

    /**
     * Returns pid of the process holding the writer role, 0 if none (for display).
     *
     * @return pid of the process holding the writer role, 0 if none (for display)
     */
    public int writerPid() {
        return status.writerPid();
    }

    /**
     * Returns whether a process that still holds the segment holds the writer role.
     *
     * @return whether a process that still holds the segment holds the writer role
     */
    public boolean writerAlive() {
        return status.writerAlive();
    }

    /**
     * Returns open handles of the ring's segment, all processes.
     *
     * @return open handles of the ring's segment, all processes
     */
    public long refCount() {
        return arc.refCount();
    }

    /**
     * Whether the last close of this ring, if it happened now, would keep its segment: the last
     * writer claimed it {@link WriterMode#LOSSLESS} and a registered (active or detached) reader
     * has not committed past {@link #writePosition()}. A lossy ring, or one whose registered
     * readers have read everything, is removed by its last close.
     *
     * @return whether unread entries keep the ring after its last close
     */
    public boolean keepsUnreadEntries() {
        return status.keepsUnreadEntries();
    }

    /**
     * The lowest committed position of the registered (active or detached) readers: where a
     * lossless writer must not overwrite.
     *
     * @return that position, or {@code Long.MAX_VALUE} if no reader is registered
     */
    public long slowestReaderPosition() {
        return status.slowestReaderPosition();
    }

    SharedBuffer buffer() {
        return buf;
    }

    /**
     * Returns this process's holder id for the ring's segment.
     *
     * @return this process's holder id for the ring's segment
     */
    long holderId() {
        return arc.holderId();
    }

    FutexWord wakeup() {
        return wakeup;
    }

    FutexWord room() {
        return room;
    }

    /** Checks the segment's size with one system call; before atomic updates on slow paths ({@link IpcArc#checkSize()}). */
    void checkSize() {
        arc.checkSize();
    }

    int slotSize() {
        return slotSize;
    }

    int entriesOffset() {
        return entriesOffset;
    }

    /**
     * The registry of this handle's roles: what its writer and readers call to give their role
     * back, to mark themselves asleep, to announce a change of the registry, and to wake a
     * writer waiting for room.
     *
     * @return the registry
     */
    RingRoles<T> roles() {
        return roles;
    }

    /**
     * Claims the writer role; in lossless mode {@link RingWriter#publish} waits for room with
     * {@link WaitStrategy#BLOCK} (asleep in the kernel until a reader commits).
     *
     * @param mode whether to wait for the slowest registered reader
     * @return the writer, continuing at the stored write pointer
     * @throws RingSlotBusyException if a live writer holds the role, in this process or another
     */
    public RingWriter<T> claimWriter(WriterMode mode) {
        return claimWriter(mode, WaitStrategy.BLOCK);
    }

    /**
     * Claims the writer role. At most one writer holds a ring: a second claim anywhere, even in
     * this process through another handle, is refused while the first is open. A role left by a
     * process that died is taken over.
     *
     * @param mode whether to wait for the slowest registered reader
     * @param wait how {@link RingWriter#publish} waits for room in lossless mode
     * @return the writer, continuing after the last published entry
     * @throws RingSlotBusyException if a live writer holds the role
     */
    public RingWriter<T> claimWriter(WriterMode mode, WaitStrategy wait) {
        return roles.claimWriter(mode, wait);
    }

    /**
     * Claims reader slot {@code id}, starting at the oldest entry if the slot is free.
     *
     * @param id 0 to {@code readerSlots() - 1}
     * @return the reader
     * @throws RingSlotBusyException if a live reader holds the slot
     */
    public RingReader<T> claimReader(int id) {
        return claimReader(id, StartFrom.OLDEST);
    }

    /**
     * Claims reader slot {@code id}. A slot held by a live reader (in this process or another) is
     * refused; a registered slot (detached, reserved, or whose holder died) is taken over at its
     * stored position; a free slot starts where {@code from} says.
     *
     * @param id 0 to {@code readerSlots() - 1}
     * @param from where a free slot starts
     * @return the reader
     * @throws RingSlotBusyException if a live reader holds the slot
     */
    public RingReader<T> claimReader(int id, StartFrom from) {
        return roles.claimReader(id, from);
    }

    /**
     * Registers free reader slots as {@link ReaderState#DETACHED} at the oldest entry still in
     * the ring (sequence 0 for a ring nothing was written to), so that a lossless writer waits
     * for them before any process claims them. Registered slots are left as they are.
     *
     * @param ids reader ids
     */
    public void reserveReaders(int... ids) {
        roles.reserveReaders(ids);
    }

    /**
     * Frees reader slot {@code id} for good: a lossless writer stops waiting for it.
     *
     * @param id a reader id
     * @throws RingSlotBusyException if a live reader holds it
     */
    public void releaseReader(int id) {
        roles.releaseReader(id);
    }

    /**
     * Releases the writer and detaches the readers this handle claimed and that are still open,
     * then closes this process's handle of the ring's segment (the last handle of all processes
     * removes the segment, unless {@link #keepsUnreadEntries()}). The handle is closed in every
     * case; if a claim could not be given back, that is thrown afterwards:
     * {@link CorruptSegmentException} when another process truncated or damaged the segment.
     */
    @Override
    public void close() {
        RuntimeException failure = roles.closeClaims();
        arc.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Ring[" + name() + ", " + entryType.descriptor() + ", capacity=" + capacity + "]";
    }
}
