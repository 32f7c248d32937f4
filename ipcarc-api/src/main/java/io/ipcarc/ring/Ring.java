package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.ArcOptions;
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
import java.security.SecureRandom;

/**
 * A single-writer, multi-reader ring of fixed 64-byte entries in one IpcArc segment, with up to
 * eight readers whose positions live in shared memory, so a reader that is killed resumes where
 * it stopped. See docs/ring.md for the layout and the publish and consume protocols.
 *
 * <pre>{@code
 * try (Ring ring = Ring.openOrCreate("/ticks", 1024, ArcOptions.defaults());
 *      RingWriter w = ring.claimWriter(false)) {
 *     w.publish((buf, body, seq) -> buf.putLong(body, seq * 10));
 * }
 * // another process
 * try (Ring ring = Ring.open("/ticks"); RingReader r = ring.claimReader(0, Ring.StartFrom.OLDEST)) {
 *     r.poll((seq, entry) -> System.out.println(seq + " " + entry[2]), 100);
 *     r.commit();
 * }
 * }</pre>
 */
public final class Ring implements AutoCloseable {

    /** Where a reader with no stored position starts. */
    public enum StartFrom {
        /** The oldest entry still in the ring. */
        OLDEST,
        /** The next entry the writer publishes. */
        LATEST
    }

    private final IpcArc<byte[]> arc;
    private final SharedBuffer buf;
    private final io.ipcarc.FutexWord wakeup;
    private final int capacity;
    private final long ringId;

    private Ring(IpcArc<byte[]> arc) {
        this.arc = arc;
        SharedBuffer b = arc.buffer();
        if (b.getLongAcquire(MAGIC_OFFSET) != MAGIC || b.getInt(VERSION_OFFSET) != VERSION) {
            arc.close();
            throw new io.ipcarc.CorruptSegmentException("not a ring of this version: name=" + arc.name()
                    + ", magic=0x" + Long.toHexString(b.getLong(MAGIC_OFFSET)) + ", version=" + b.getInt(VERSION_OFFSET), arc.name());
        }
        this.buf = b;
        this.wakeup = arc.futexWord(WAKEUP_OFFSET);
        this.capacity = b.getInt(CAPACITY_OFFSET);
        this.ringId = b.getLong(RING_ID_OFFSET);
        if (Integer.bitCount(capacity) != 1 || payloadSize(capacity) != b.capacity()
                || b.getInt(ENTRY_SIZE_OFFSET) != ENTRY_SIZE || b.getInt(READER_SLOTS_OFFSET) != READER_SLOTS) {
            arc.close();
            throw new io.ipcarc.CorruptSegmentException("inconsistent ring header: name=" + arc.name() + ", capacity="
                    + capacity + ", payload=" + b.capacity(), arc.name());
        }
    }

    /**
     * The IpcArc type of a ring with {@code capacity} entries.
     *
     * @param capacity entries, a power of two
     * @return {@code bytes<ipcarc.ring/1>[payload size]}
     */
    public static ShmType<byte[]> type(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("ring capacity must be a power of two from 2 to 2^24: capacity=" + capacity);
        }
        return ShmType.bytes(TYPE_TAG, payloadSize(capacity));
    }

    /**
     * Creates a new ring with a fresh random identity.
     *
     * @param name segment name
     * @param capacity entries, a power of two
     * @param options mode and timeouts
     * @return the ring
     * @throws SegmentExistsException if the name is taken
     */
    public static Ring create(String name, int capacity, ArcOptions options) {
        return new Ring(IpcArc.create(name, type(capacity), initialImage(capacity), raw(options)));
    }

    /**
     * Opens an existing ring, whatever its capacity.
     *
     * @param name segment name
     * @return the ring
     * @throws SegmentNotFoundException if there is none
     * @throws TypeMismatchException if the segment is not a ring
     */
    public static Ring open(String name) {
        IpcArc<Object> any = IpcArc.load(name);
        ShmLayout layout = any.type().layout();
        if (!(layout instanceof ShmLayout.Bytes b) || !TYPE_TAG.equals(b.tag())) {
            String found = any.type().descriptor();
            any.close();
            throw new TypeMismatchException("not a ring: name=" + name + ", found=" + found + ", expected=bytes<"
                    + TYPE_TAG + ">[...]", name);
        }
        @SuppressWarnings("unchecked")
        IpcArc<byte[]> arc = (IpcArc<byte[]>) (IpcArc<?>) any;
        return new Ring(arc);
    }

    /**
     * Opens the ring if it exists (whatever its capacity), creates it otherwise.
     *
     * @param name segment name
     * @param capacity entries if created
     * @param options mode and timeouts
     * @return the ring; {@link #created()} tells which happened
     */
    public static Ring openOrCreate(String name, int capacity, ArcOptions options) {
        ShmType<byte[]> t = type(capacity);
        for (int attempt = 0; ; attempt++) {
            try {
                return open(name);
            } catch (SegmentNotFoundException e) {
                try {
                    return new Ring(IpcArc.create(name, t, initialImage(capacity), raw(options)));
                } catch (SegmentExistsException again) {
                    if (attempt > 100) {
                        throw again;
                    }
                }
            }
        }
    }

    /** A ring is a lock-free structure in a single copy of the payload. */
    private static ArcOptions raw(ArcOptions options) {
        return options.withPayloadMode(ArcOptions.PayloadMode.RAW);
    }

    private static byte[] initialImage(int capacity) {
        byte[] img = new byte[payloadSize(capacity)];
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.nativeOrder());
        long id = 0;
        SecureRandom random = new SecureRandom();
        while (id == 0) {
            id = random.nextLong();
        }
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(CAPACITY_OFFSET, capacity)
                .putInt(ENTRY_SIZE_OFFSET, ENTRY_SIZE).putInt(READER_SLOTS_OFFSET, READER_SLOTS)
                .putLong(RING_ID_OFFSET, id).putLong(CREATED_OFFSET, System.currentTimeMillis());
        return img;
    }

    /** @return the segment name */
    public String name() {
        return arc.name();
    }

    /** @return whether this process created the segment */
    public boolean created() {
        return arc.created();
    }

    /** @return the random identity chosen when the ring's segment was created */
    public long ringId() {
        return ringId;
    }

    /** @return entries in the ring */
    public int capacity() {
        return capacity;
    }

    /** @return the next sequence the writer will publish (acquire) */
    public long writePosition() {
        return buf.getLongAcquire(WRITE_POINTER_OFFSET);
    }

    /** @param reader 0..7 @return that reader's stored position (acquire) */
    public long readerPosition(int reader) {
        return buf.getLongAcquire(readerSlot(checkId(reader)) + READER_POSITION);
    }

    /** @param reader 0..7 @return {@link RingDescriptor#READER_FREE}, ACTIVE or DETACHED */
    public int readerState(int reader) {
        return buf.getIntAcquire(readerSlot(checkId(reader)) + READER_STATE);
    }

    /** @param reader 0..7 @return pid of the process holding the slot, 0 if none */
    public int readerPid(int reader) {
        return buf.getInt(readerSlot(checkId(reader)) + READER_PID);
    }

    /** @param reader 0..7 @return entries that reader lost to overruns */
    public long readerLost(int reader) {
        return buf.getLongAcquire(readerSlot(checkId(reader)) + READER_LOST);
    }

    /** @return pid of the writer holding the ring, 0 if none */
    public int writerPid() {
        return buf.getInt(WRITER_PID_OFFSET);
    }

    /** @return open handles of the ring's segment, all processes */
    public long refCount() {
        return arc.refCount();
    }

    SharedBuffer buffer() {
        return buf;
    }

    io.ipcarc.FutexWord wakeup() {
        return wakeup;
    }

    /**
     * Claims the writer role. At most one live writer holds a ring.
     *
     * @param lossless wait for the slowest registered reader instead of overwriting
     * @return the writer, continuing at the stored write pointer
     * @throws RingSlotBusyException if a live writer holds it
     */
    public RingWriter claimWriter(boolean lossless) {
        try (Guard<byte[]> g = arc.acquire()) {
            int pid = buf.getInt(WRITER_PID_OFFSET);
            long start = buf.getLong(WRITER_START_OFFSET);
            if (pid != 0 && pid != Holders.SELF_PID && Holders.isAlive(pid, start)) {
                throw new RingSlotBusyException("ring writer already running: name=" + name() + ", pid=" + pid, name());
            }
            buf.putLong(WRITER_START_OFFSET, Holders.SELF_START);
            buf.putInt(WRITER_FLAGS_OFFSET, lossless ? WRITER_LOSSLESS : 0);
            buf.putIntRelease(WRITER_PID_OFFSET, Holders.SELF_PID);
        }
        return new RingWriter(this, lossless);
    }

    void releaseWriter() {
        if (!arc.isOpen()) {
            return;
        }
        try (Guard<byte[]> g = arc.acquire()) {
            if (buf.getInt(WRITER_PID_OFFSET) == Holders.SELF_PID) {
                buf.putIntRelease(WRITER_PID_OFFSET, 0);
            }
        }
    }

    /**
     * Claims reader slot {@code id}. A slot held by a live process is refused; a slot whose
     * holder died, or that was detached, is taken over with its stored position; a free slot
     * starts at {@code from}.
     *
     * @param id 0..7
     * @param from where a free slot starts
     * @return the reader
     * @throws RingSlotBusyException if a live reader holds the slot
     */
    public RingReader claimReader(int id, StartFrom from) {
        int slot = readerSlot(checkId(id));
        try (Guard<byte[]> g = arc.acquire()) {
            int state = buf.getInt(slot + READER_STATE);
            int pid = buf.getInt(slot + READER_PID);
            long start = buf.getLong(slot + READER_START);
            if (state == READER_ACTIVE && Holders.isAlive(pid, start)) {
                throw new RingSlotBusyException("reader id already in use: name=" + name() + ", reader=" + id + ", pid="
                        + pid, name());
            }
            if (state == READER_FREE) {
                long w = writePosition();
                long position = from == StartFrom.LATEST ? w : Math.max(0, w - capacity);
                buf.putLongRelease(slot + READER_POSITION, position);
                buf.putLongRelease(slot + READER_LOST, 0);
            }
            buf.putLong(slot + READER_START, Holders.SELF_START);
            buf.putInt(slot + READER_PID, Holders.SELF_PID);
            // A previous holder killed while blocking must not make the writer wake it for ever.
            buf.putIntRelease(slot + READER_SLEEPING, 0);
            if (buf.getInt(slot + READER_BLOCKING) != 0) {
                buf.putIntRelease(slot + READER_BLOCKING, 0);
                buf.getAndAddInt(BLOCKERS_VERSION_OFFSET, 1);
            }
            buf.putIntRelease(slot + READER_STATE, READER_ACTIVE);
        }
        return new RingReader(this, id);
    }

    /**
     * Frees reader slot {@code id} for good: a lossless writer stops waiting for it.
     *
     * @param id 0..7
     * @throws RingSlotBusyException if a live reader other than this process holds it
     */
    public void releaseReader(int id) {
        int slot = readerSlot(checkId(id));
        try (Guard<byte[]> g = arc.acquire()) {
            int state = buf.getInt(slot + READER_STATE);
            int pid = buf.getInt(slot + READER_PID);
            if (state == READER_ACTIVE && pid != Holders.SELF_PID && Holders.isAlive(pid, buf.getLong(slot + READER_START))) {
                throw new RingSlotBusyException("reader id in use, not released: name=" + name() + ", reader=" + id
                        + ", pid=" + pid, name());
            }
            buf.putInt(slot + READER_PID, 0);
            buf.putLong(slot + READER_START, 0);
            buf.putIntRelease(slot + READER_STATE, READER_FREE);
        }
    }

    void detachReader(int id, long position) {
        int slot = readerSlot(id);
        if (!arc.isOpen()) {
            return;
        }
        try (Guard<byte[]> g = arc.acquire()) {
            if (buf.getInt(slot + READER_PID) == Holders.SELF_PID) {
                buf.putLongRelease(slot + READER_POSITION, position);
                buf.putIntRelease(slot + READER_STATE, READER_DETACHED);
            }
        }
    }

    /**
     * The lowest position of the registered (active or detached) readers.
     *
     * @return that position, or {@code Long.MAX_VALUE} if no reader is registered
     */
    public long slowestReaderPosition() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < READER_SLOTS; i++) {
            int slot = readerSlot(i);
            if (buf.getIntAcquire(slot + READER_STATE) != READER_FREE) {
                min = Math.min(min, buf.getLongAcquire(slot + READER_POSITION));
            }
        }
        return min;
    }

    private static int checkId(int id) {
        if (id < 0 || id >= READER_SLOTS) {
            throw new IllegalArgumentException("reader id must be 0 to " + (READER_SLOTS - 1) + ": id=" + id);
        }
        return id;
    }

    /** Closes this process's handle of the ring's segment. */
    @Override
    public void close() {
        arc.close();
    }
}
