package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.FutexWord;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import io.ipcarc.TypeMismatchException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private final List<AutoCloseable> claims = new ArrayList<>();

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
        // Acquire: the writer raises the pointer before it writes the entries below it.
        long w = buf.getLongAcquire(WRITE_POINTER_OFFSET);
        for (long s = Math.max(0, w - announceAhead(capacity)); s < w; s++) {
            if (!isPublished(s)) {
                return s;
            }
        }
        return w;
    }

    /**
     * Returns whether the slot of {@code seq} holds that sequence, published (plain load, then an acquire
     * fence).
     *
     * @return whether the slot of {@code seq} holds that sequence, published (plain load, then an acquire fence)
     */
    boolean isPublished(long seq) {
        int stamp = buf.getInt(slotOffset(seq) + SLOT_STAMP);
        VarHandle.acquireFence();
        return stamp == stamp(seq, capacityShift);
    }

    int slotOffset(long seq) {
        return entriesOffset + (int) (seq & (capacity - 1)) * slotSize;
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
        return buf.getLongAcquire(readerSlot(checkReader(reader)) + READER_POSITION);
    }

    /**
     * Returns the state of its slot (acquire).
     *
     * @param reader a reader id
     * @return the state of its slot (acquire)
     */
    public ReaderState readerState(int reader) {
        return ReaderState.of(buf.getIntAcquire(readerSlot(checkReader(reader)) + READER_STATE));
    }

    /**
     * Returns pid of the process that last claimed its slot, 0 if none (for display).
     *
     * @param reader a reader id
     * @return pid of the process that last claimed its slot, 0 if none (for display)
     */
    public int readerPid(int reader) {
        return buf.getInt(readerSlot(checkReader(reader)) + READER_PID);
    }

    /**
     * Returns whether its slot is {@link ReaderState#ACTIVE} and its holder process still holds the segment.
     *
     * @param reader a reader id
     * @return whether its slot is {@link ReaderState#ACTIVE} and its holder process still holds the segment
     */
    public boolean readerAlive(int reader) {
        int slot = readerSlot(checkReader(reader));
        return buf.getIntAcquire(slot + READER_STATE) == ReaderState.ACTIVE.code()
                && arc.isHolderAlive(buf.getLongAcquire(slot + READER_HOLDER));
    }

    /**
     * Returns entries that reader lost to overruns, in total.
     *
     * @param reader a reader id
     * @return entries that reader lost to overruns, in total
     */
    public long readerLost(int reader) {
        return buf.getLongAcquire(readerSlot(checkReader(reader)) + READER_LOST);
    }

    /**
     * Returns pid of the process holding the writer role, 0 if none (for display).
     *
     * @return pid of the process holding the writer role, 0 if none (for display)
     */
    public int writerPid() {
        return buf.getInt(WRITER_PID_OFFSET);
    }

    /**
     * Returns whether a process that still holds the segment holds the writer role.
     *
     * @return whether a process that still holds the segment holds the writer role
     */
    public boolean writerAlive() {
        long holder = buf.getLongAcquire(WRITER_HOLDER_OFFSET);
        return holder != 0 && arc.isHolderAlive(holder);
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
        return RingRetention.hasUnreadEntries(buf);
    }

    /**
     * The lowest committed position of the registered (active or detached) readers: where a
     * lossless writer must not overwrite.
     *
     * @return that position, or {@code Long.MAX_VALUE} if no reader is registered
     */
    public long slowestReaderPosition() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < readerSlots; i++) {
            int slot = readerSlot(i);
            if (buf.getIntAcquire(slot + READER_STATE) != ReaderState.FREE.code()) {
                min = Math.min(min, buf.getLongAcquire(slot + READER_POSITION));
            }
        }
        return min;
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

    /**
     * Wakes a lossless writer that sleeps until a reader commits or the registry changes. The
     * caller has just stored a position (volatile) or changed the registry version (an atomic
     * add: a volatile read and write); the writer stores its waiting flag (volatile) before it
     * loads them (volatile). The waiting flag is loaded volatile here: a volatile write then a
     * volatile read on both sides, so the JMM lets at most one side miss the other (Dekker).
     */
    void wakeWaitingWriter() {
        if (buf.getIntVolatile(WRITER_WAITING_OFFSET) != 0 && buf.compareAndSetInt(WRITER_WAITING_OFFSET, 1, 0)) {
            buf.getAndAddInt(ROOM_OFFSET, 1);
            room.wakeAll();
        }
    }

    int slotSize() {
        return slotSize;
    }

    int entriesOffset() {
        return entriesOffset;
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
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(wait, "wait");
        try (Guard<byte[]> g = arc.acquire()) {
            long holder = buf.getLong(WRITER_HOLDER_OFFSET);
            if (isLive(holder, LocalClaims.WRITER)) {
                throw new RingSlotBusyException("ring writer already claimed: name=" + name() + ", pid="
                        + buf.getInt(WRITER_PID_OFFSET) + (holder == arc.holderId() ? " (this process)" : ""), name());
            }
            buf.putLong(WRITER_HOLDER_OFFSET, arc.holderId());
            buf.putInt(WRITER_PID_OFFSET, (int) ProcessHandle.current().pid());
            int claims = (buf.getInt(WRITER_WORD_OFFSET) & -WRITER_CLAIM) + WRITER_CLAIM;
            int bits = mode == WriterMode.LOSSLESS ? WRITER_LOSSLESS | (wait == WaitStrategy.BLOCK ? WRITER_SLEEPS : 0) : 0;
            // Release: readers compare this word before and after a poll to notice a change of writer.
            buf.putIntRelease(WRITER_WORD_OFFSET, claims | bits);
            // The role is visible before the writer reads the registry (Dekker with a reader that
            // registers as blocking and then looks for a writer): full fence.
            VarHandle.fullFence();
            LocalClaims.open(ringId, LocalClaims.WRITER);
        }
        // Outside the lock (as little as possible inside): the role is this process's already.
        RingWriter<T> writer = new RingWriter<>(this, mode, wait);
        register(writer);
        return writer;
    }

    void releaseWriter(RingWriter<T> writer) {
        unregister(writer);
        try {
            if (arc.isOpen()) {
                try (Guard<byte[]> g = arc.acquire()) {
                    if (buf.getLong(WRITER_HOLDER_OFFSET) == arc.holderId()) {
                        buf.putInt(WRITER_PID_OFFSET, 0);
                        buf.putLongRelease(WRITER_HOLDER_OFFSET, 0);
                    }
                }
            }
        } finally {
            LocalClaims.close(ringId, LocalClaims.WRITER);
        }
    }

    /** A role recorded with {@code holder} is in use: its process lives and, if it is this one, holds it open. */
    private boolean isLive(long holder, int role) {
        return holder != 0 && arc.isHolderAlive(holder) && (holder != arc.holderId() || LocalClaims.isOpen(ringId, role));
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
        Objects.requireNonNull(from, "from");
        int slot = readerSlot(checkReader(id));
        int version;
        try (Guard<byte[]> g = arc.acquire()) {
            ReaderState state = ReaderState.of(buf.getInt(slot + READER_STATE));
            long holder = buf.getLong(slot + READER_HOLDER);
            if (state == ReaderState.ACTIVE && isLive(holder, id)) {
                throw new RingSlotBusyException("reader id already in use: name=" + name() + ", reader=" + id + ", pid="
                        + buf.getInt(slot + READER_PID) + (holder == arc.holderId() ? " (this process)" : ""), name());
            }
            if (state == ReaderState.FREE) {
                long w = writePosition();
                buf.putLongRelease(slot + READER_POSITION, from == StartFrom.LATEST ? w
                        : Math.max(0, buf.getLongAcquire(WRITE_POINTER_OFFSET) - capacity));
                buf.putLongRelease(slot + READER_LOST, 0);
            }
            buf.putLong(slot + READER_HOLDER, arc.holderId());
            buf.putInt(slot + READER_PID, (int) ProcessHandle.current().pid());
            // A previous holder killed while blocking must not make the writer wake it for ever.
            markSleeping(id, false);
            buf.putIntRelease(slot + READER_BLOCKING, 0);
            buf.putIntRelease(slot + READER_STATE, ReaderState.ACTIVE.code());
            version = bumpRegistry();
            buf.putInt(slot + READER_CLAIM_VERSION, version);
            LocalClaims.open(ringId, id);
        }
        RingReader<T> reader = new RingReader<>(this, id, version); // outside the lock: as little as possible inside
        register(reader);
        return reader;
    }

    /**
     * Registers free reader slots as {@link ReaderState#DETACHED} at the oldest entry still in
     * the ring (sequence 0 for a ring nothing was written to), so that a lossless writer waits
     * for them before any process claims them. Registered slots are left as they are.
     *
     * @param ids reader ids
     */
    public void reserveReaders(int... ids) {
        for (int id : ids) {
            checkReader(id);
        }
        if (ids.length == 0) {
            return;
        }
        try (Guard<byte[]> g = arc.acquire()) {
            long w = writePosition();
            boolean changed = false;
            for (int id : ids) {
                int slot = readerSlot(id);
                if (buf.getInt(slot + READER_STATE) == ReaderState.FREE.code()) {
                    buf.putLongRelease(slot + READER_POSITION, Math.max(0, w - capacity));
                    buf.putLongRelease(slot + READER_LOST, 0);
                    buf.putIntRelease(slot + READER_STATE, ReaderState.DETACHED.code());
                    changed = true;
                }
            }
            if (changed) {
                bumpRegistry();
            }
        }
    }

    /**
     * Frees reader slot {@code id} for good: a lossless writer stops waiting for it.
     *
     * @param id a reader id
     * @throws RingSlotBusyException if a live reader holds it
     */
    public void releaseReader(int id) {
        int slot = readerSlot(checkReader(id));
        try (Guard<byte[]> g = arc.acquire()) {
            long holder = buf.getLong(slot + READER_HOLDER);
            if (buf.getInt(slot + READER_STATE) == ReaderState.ACTIVE.code() && isLive(holder, id)) {
                throw new RingSlotBusyException("reader id in use, not released: name=" + name() + ", reader=" + id
                        + ", pid=" + buf.getInt(slot + READER_PID), name());
            }
            freeSlot(slot);
        }
    }

    /** Frees the slot of an open reader of this process for good. */
    void releaseOwnReader(RingReader<T> reader) {
        unregister(reader);
        int slot = readerSlot(reader.id());
        try {
            try (Guard<byte[]> g = arc.acquire()) {
                if (buf.getLong(slot + READER_HOLDER) == arc.holderId()) {
                    freeSlot(slot);
                }
            }
        } finally {
            LocalClaims.close(ringId, reader.id());
        }
    }

    private void freeSlot(int slot) {
        buf.putInt(slot + READER_PID, 0);
        buf.putLong(slot + READER_HOLDER, 0);
        buf.putIntRelease(slot + READER_BLOCKING, 0);
        buf.putIntRelease(slot + READER_STATE, ReaderState.FREE.code());
        bumpRegistry();
        wakeWaitingWriter(); // a lossless writer may have waited for this reader
    }

    /** Leaves the slot of an open reader of this process registered, at its committed position. */
    void detachReader(RingReader<T> reader) {
        unregister(reader);
        int slot = readerSlot(reader.id());
        try {
            if (arc.isOpen()) {
                try (Guard<byte[]> g = arc.acquire()) {
                    if (buf.getLong(slot + READER_HOLDER) == arc.holderId()
                            && buf.getInt(slot + READER_STATE) == ReaderState.ACTIVE.code()) {
                        markSleeping(reader.id(), false);
                        buf.putIntRelease(slot + READER_BLOCKING, 0);
                        buf.putIntRelease(slot + READER_STATE, ReaderState.DETACHED.code());
                        bumpRegistry();
                    }
                }
            }
        } finally {
            LocalClaims.close(ringId, reader.id());
        }
    }

    /**
     * Sets or clears reader {@code id}'s bit in the sleepers word, with compare-and-set (a full
     * fence: the bit is visible before anything this thread loads next).
     */
    void markSleeping(int id, boolean asleep) {
        int word = sleepersWord(id);
        int bit = 1 << (id & 31);
        int v;
        do {
            v = buf.getIntVolatile(word);
            if (((v & bit) != 0) == asleep) {
                return;
            }
        } while (!buf.compareAndSetInt(word, v, v ^ bit));
    }

    /**
     * Returns the new registry version; the atomic add orders the slot's stores before it (full fence).
     *
     * @return the new registry version; the atomic add orders the slot's stores before it (full fence)
     */
    int bumpRegistry() {
        return buf.getAndAddInt(REGISTRY_VERSION_OFFSET, 1) + 1;
    }

    private int checkReader(int id) {
        return RingOptions.checkReader(id, readerSlots);
    }

    private void register(AutoCloseable claim) {
        synchronized (claims) {
            claims.add(claim);
        }
    }

    private void unregister(AutoCloseable claim) {
        synchronized (claims) {
            claims.remove(claim);
        }
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
        List<AutoCloseable> open;
        synchronized (claims) {
            open = new ArrayList<>(claims);
        }
        RuntimeException failure = null;
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (CorruptSegmentException e) {
                // The segment is damaged or truncated: the claim cannot be written back, and is
                // given up with the handle; the damage itself is what the caller needs to know.
                if (failure == null) {
                    failure = e;
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close a claim of ring " + name() + ": " + e.getMessage(), e);
                }
            }
        }
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
