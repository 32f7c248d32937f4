package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.REGISTRY_VERSION_OFFSET;
import static io.ipcarc.ring.RingDescriptor.ROOM_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_WAITING_OFFSET;
import static io.ipcarc.ring.RingDescriptor.READER_BLOCKING;
import static io.ipcarc.ring.RingDescriptor.READER_PID;
import static io.ipcarc.ring.RingDescriptor.READER_POSITION;
import static io.ipcarc.ring.RingDescriptor.SLEEPERS_HIGH_OFFSET;
import static io.ipcarc.ring.RingDescriptor.SLEEPERS_OFFSET;
import static io.ipcarc.ring.RingDescriptor.READER_STATE;
import static io.ipcarc.ring.RingDescriptor.SLOT_BODY;
import static io.ipcarc.ring.RingDescriptor.SLOT_STAMP;
import static io.ipcarc.ring.RingDescriptor.WAKEUP_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_SEEN_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITE_POINTER_OFFSET;

import io.ipcarc.FutexWord;
import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedWindow;
import io.ipcarc.ShmType;
import io.ipcarc.ring.events.RingWriterBlockedEvent;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The single writer of a {@link Ring}. Publish protocol for sequence {@code s} (docs/ring.md):
 * if {@code s} has reached the write pointer, raise the pointer by a block (release, then a
 * store-store fence: no store of the block's entries becomes visible before it); write the
 * entry; then, after a release fence, store the slot's stamp, the entry's lap plus one: the
 * entry is published. One store of shared memory per entry besides the entry itself. A writer
 * killed part-way leaves entry {@code s} unpublished or published; the next writer rewrites it
 * or continues after it, so no sequence is repeated or skipped.
 *
 * <pre>{@code
 * try (Ring<Long> ring = Ring.create("/numbers", Long.class, RingOptions.defaults());
 *      RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSY)) {
 *     writer.publish(42L);                                      // a value
 *     writer.publish((entry, seq) -> entry.putLong(0, seq));    // or its bytes, in place
 * }
 * }</pre>
 *
 * <p>A lossless writer checks for room against a cached position of the slowest registered
 * reader and reads the readers' positions again only when it could otherwise overwrite an entry
 * one of them has not committed past. It notices readers that register, detach, are released or
 * start or stop blocking through one version word, which changes only then and which it loads
 * every {@value #REGISTRY_CHECK_INTERVAL} publishes and whenever it runs out of room. Not
 * thread-safe: one thread publishes at a time.
 *
 * @param <T> the entry type
 */
public final class RingWriter<T> implements AutoCloseable {
    /** What {@link #tryPublish} returns when a lossless ring has no room. */
    public static final long NO_ROOM = -1;
    /** Publishes between two loads of the registry version (a power of two). */
    public static final int REGISTRY_CHECK_INTERVAL = 64;

    private final Ring<T> ring;
    private final SharedBuffer buf;
    private final FutexWord wakeup;
    private final ShmType<T> type;
    private final int mask;
    private final int capacity;
    private final int capacityShift;
    /** How far the write pointer is raised at once. */
    private final int ahead;
    /** The write pointer as last stored: every sequence below it may be written without storing it again. */
    private long announced;
    private final int slotSize;
    private final int entries;
    private final boolean lossless;
    private final WaitStrategy wait;
    /** The entry being published: a window of exactly its bytes, moved from slot to slot. */
    private final SharedWindow view;
    private final int[] registered;
    /** Whether readers 32 to 63 exist, whose sleeper bits are in a second word. */
    private final boolean wideRegistry;
    private int registeredCount;
    private int blockingCount;
    /** The registry version the cached reader set was read at. */
    private int registryVersion;
    private long next;
    /** Cached committed position of the slowest registered reader; Long.MAX_VALUE when there is none. */
    private long slowest;
    private long waits;
    /** The wait for room under way (lossless), or null: started at the first publish that found none. */
    private RingWriterBlockedEvent blocked;
    /** The slot of the reader that held the writer back when {@link #blocked} began, or -1. */
    private int blockedSlot = -1;
    private long wakeups;
    private boolean closed;

    RingWriter(Ring<T> ring, WriterMode mode, WaitStrategy wait) {
        this.ring = ring;
        this.buf = ring.buffer();
        this.wakeup = ring.wakeup();
        this.type = ring.entryType();
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.slotSize = ring.slotSize();
        this.entries = ring.entriesOffset();
        this.lossless = mode == WriterMode.LOSSLESS;
        this.wait = wait;
        this.view = buf.window(type.size());
        this.registered = new int[ring.readerSlots()];
        this.wideRegistry = ring.readerSlots() > 32;
        this.capacityShift = ring.capacityShift();
        this.ahead = RingDescriptor.announceAhead(capacity);
        this.next = ring.writePosition();
        this.announced = buf.getLongAcquire(WRITE_POINTER_OFFSET);
        readRegistry(buf.getIntAcquire(REGISTRY_VERSION_OFFSET));
    }

    private int slot(long seq) {
        return entries + (int) (seq & mask) * slotSize;
    }

    /**
     * Returns the sequence the next publish writes.
     *
     * @return the sequence the next publish writes
     */
    public long nextSequence() {
        return next;
    }

    /**
     * Returns whether this writer waits for the slowest registered reader.
     *
     * @return whether this writer waits for the slowest registered reader
     */
    public WriterMode mode() {
        return lossless ? WriterMode.LOSSLESS : WriterMode.LOSSY;
    }

    /**
     * Returns how many publishes found no room at first (lossless mode).
     *
     * @return how many publishes found no room at first (lossless mode)
     */
    public long waits() {
        return waits;
    }

    /**
     * Returns how many times this writer woke readers sleeping in the kernel.
     *
     * @return how many times this writer woke readers sleeping in the kernel
     */
    public long wakeups() {
        return wakeups;
    }

    /**
     * Publishes {@code value}; in lossless mode first waits, with the writer's wait strategy,
     * while the slowest registered reader is a whole ring behind.
     *
     * @param value the entry
     * @return its sequence
     * @throws InterruptedException if the thread is interrupted while waiting for room
     */
    public long publish(T value) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        long seq = awaitRoom();
        int slot = begin(seq);
        type.write(view, 0, value);
        return end(seq, slot);
    }

    /**
     * Publishes an entry written in place by {@code body}; in lossless mode first waits for room.
     * If {@code body} throws, nothing is published, the exception propagates and the next
     * publish reuses the sequence.
     *
     * @param body writes the entry's bytes
     * @return the entry's sequence
     * @throws InterruptedException if the thread is interrupted while waiting for room
     */
    public long publish(EntryWriter body) throws InterruptedException {
        long seq = awaitRoom();
        int slot = begin(seq);
        body.write(view, seq);
        return end(seq, slot);
    }

    /**
     * Publishes {@code value} if there is room now.
     *
     * @param value the entry
     * @return its sequence, or {@link #NO_ROOM} if a lossless ring is full
     */
    public long tryPublish(T value) {
        Objects.requireNonNull(value, "value");
        long seq = next;
        if (!hasRoom(seq)) {
            return NO_ROOM;
        }
        int slot = begin(seq);
        type.write(view, 0, value);
        return end(seq, slot);
    }

    /**
     * Publishes an entry written in place by {@code body}, if there is room now.
     *
     * @param body writes the entry's bytes
     * @return its sequence, or {@link #NO_ROOM} if a lossless ring is full
     */
    public long tryPublish(EntryWriter body) {
        long seq = next;
        if (!hasRoom(seq)) {
            return NO_ROOM;
        }
        int slot = begin(seq);
        body.write(view, seq);
        return end(seq, slot);
    }

    private long awaitRoom() throws InterruptedException {
        long seq = next;
        if (hasRoom(seq)) {
            return seq;
        }
        waits++;
        for (int rounds = 0; !hasRoom(seq); rounds++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for ring readers: name=" + ring.name());
            }
            idle(wait, rounds);
        }
        return seq;
    }

    /** @return the slot offset of the registered reader with the lowest committed position, or -1 if none */
    private int slowestSlot() {
        int at = -1;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < registeredCount; i++) {
            long p = buf.getLongAcquire(registered[i] + READER_POSITION);
            if (p < min) {
                min = p;
                at = registered[i];
            }
        }
        return at;
    }

    /**
     * Waits a little for the readers of a full lossless ring, the way {@code strategy} says.
     * With {@link WaitStrategy#BLOCK} the writer spins (64 rounds), yields (16), then sleeps in
     * the kernel until a reader commits, is released or detaches (protocol in docs/ring.md); the
     * other strategies do not involve the ring. A writer claimed with another strategy than
     * {@code BLOCK} never sleeps in the kernel (readers do not look for it): {@code BLOCK} then
     * backs off instead.
     *
     * @param strategy how to wait
     * @param rounds consecutive rounds without room before this one
     */
    public void idle(WaitStrategy strategy, int rounds) {
        if (strategy == WaitStrategy.BLOCK && wait != WaitStrategy.BLOCK) {
            // Readers look for a sleeping writer only if the claim said it may sleep.
            WaitStrategy.BACKOFF.idle(rounds);
        } else if (strategy != WaitStrategy.BLOCK) {
            strategy.idle(rounds);
        } else if (rounds < RingReader.SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else if (rounds < RingReader.SPINS_BEFORE_YIELD + RingReader.YIELDS_BEFORE_SLEEP) {
            Thread.yield();
        } else {
            sleepForRoom(RingReader.SLEEP_NANOS);
        }
    }

    /**
     * Sleeps until a reader makes room, for at most {@code timeoutNanos}. The writer announces
     * that it waits (volatile store), then loads the registry and the readers' positions again
     * (volatile loads); a reader stores its position (volatile) and then loads the flag
     * (volatile): volatile store then volatile load on each side, so the JMM lets at most one of
     * them miss the other's store (Dekker): either the writer sees the room or the reader sees
     * the flag and wakes it.
     *
     * @return what happened
     */
    SleepOutcome sleepForRoom(long timeoutNanos) {
        if (!lossless || wait != WaitStrategy.BLOCK) {
            return SleepOutcome.NOT_NEEDED;
        }
        int epoch = buf.getIntVolatile(ROOM_OFFSET);
        buf.putIntVolatile(WRITER_WAITING_OFFSET, 1);
        try {
            // Volatile load: after the flag's volatile store (a slot released meanwhile shows).
            int version = buf.getIntVolatile(REGISTRY_VERSION_OFFSET);
            if (version != registryVersion) {
                readRegistry(version);
            }
            slowest = slowestRegistered(true);
            if (next - slowest < capacity) {
                roomAgain();
                return SleepOutcome.NOT_NEEDED;
            }
            return ring.room().await(epoch, timeoutNanos) ? SleepOutcome.WOKEN : SleepOutcome.TIMED_OUT;
        } finally {
            buf.putIntRelease(WRITER_WAITING_OFFSET, 0);
        }
    }

    /**
     * Whether {@code seq} may be written: always when lossy; when lossless, if it does not
     * overwrite an entry a registered reader has not committed past.
     */
    private boolean hasRoom(long seq) {
        if (closed) {
            throw new IllegalStateException("ring writer is closed: name=" + ring.name());
        }
        if ((seq & (REGISTRY_CHECK_INTERVAL - 1)) == 0) {
            checkRegistry();
        }
        if (!lossless || seq - slowest < capacity) {
            return true;
        }
        checkRegistry(); // a reader may have registered, detached or been released meanwhile
        slowest = slowestRegistered(false);
        boolean room = seq - slowest < capacity;
        if (!room && blocked == null) {
            blockedOn(seq);
        }
        roomAgain();
        return room;
    }

    /**
     * Starts the {@link RingWriterBlockedEvent} of a wait for room: the first publish or
     * tryPublish that found none. Slow path only (a publish with room never gets here).
     */
    private void blockedOn(long seq) {
        RingWriterBlockedEvent e = new RingWriterBlockedEvent();
        int holder = slowestSlot();
        e.ring = ring.name();
        e.sequence = seq;
        e.reader = holder < 0 ? -1 : RingDescriptor.readerId(holder);
        e.readerPosition = holder < 0 ? -1 : buf.getLongAcquire(holder + READER_POSITION);
        blockedSlot = holder;
        e.begin();
        blocked = e;
    }

    /**
     * Ends the wait for room, if there is one and {@link #slowest} (just refreshed) leaves room
     * for the next sequence: the event is committed if it passed its threshold. Called wherever
     * the slowest position is read again, so a wait ends when the writer first sees room.
     */
    private void roomAgain() {
        RingWriterBlockedEvent e = blocked;
        if (e != null && next - slowest < capacity) {
            blocked = null;
            e.end();
            if (e.shouldCommit()) {
                e.readerPid = blockedSlot < 0 ? 0 : buf.getIntAcquire(blockedSlot + READER_PID);
                e.commit();
            }
        }
    }

    private void checkRegistry() {
        // Acquire: the slot states and positions stored before the version changed are seen with it.
        int version = buf.getIntAcquire(REGISTRY_VERSION_OFFSET);
        if (version != registryVersion) {
            readRegistry(version);
        }
    }

    /** Reads which slots are registered and which block, then acknowledges {@code version}. */
    private void readRegistry(int version) {
        registeredCount = 0;
        blockingCount = 0;
        for (int i = 0; i < registered.length; i++) {
            int s = RingDescriptor.readerSlot(i);
            if (buf.getIntAcquire(s + READER_STATE) != ReaderState.FREE.code()) {
                registered[registeredCount++] = s;
                if (buf.getIntAcquire(s + READER_BLOCKING) != 0) {
                    blockingCount++;
                }
            }
        }
        registryVersion = version;
        slowest = slowestRegistered(false);
        roomAgain();
        // Release: every publish after this store respects the positions just read, so a reader
        // that sees it (acquire) may read entries in place.
        buf.putIntRelease(WRITER_SEEN_OFFSET, version);
    }

    /**
     * @param afterAnnouncedWait whether the writer has just announced that it sleeps: then the
     *     positions are loaded volatile (the second half of the Dekker pair of sleepForRoom)
     */
    private long slowestRegistered(boolean afterAnnouncedWait) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < registeredCount; i++) {
            // Acquire (at least): pairs with the reader's release of its position, after it last read those entries.
            long p = afterAnnouncedWait ? buf.getLongVolatile(registered[i] + READER_POSITION)
                    : buf.getLongAcquire(registered[i] + READER_POSITION);
            min = Math.min(min, p);
        }
        return min;
    }

    /** Makes sure the write pointer covers {@code seq}, and points the view at its entry. */
    private int begin(long seq) {
        if (seq >= announced) {
            // Never beyond what a lossless writer may write: a copying reader trusts entries
            // from the pointer minus the capacity on.
            long to = seq + ahead;
            if (lossless && slowest < Long.MAX_VALUE - capacity) {
                to = Math.max(seq + 1, Math.min(to, slowest + capacity));
            }
            announced = to;
            // Release, then store-store fence: a reader that copied an entry this block
            // overwrites sees the new pointer before it could see any store of the block.
            buf.putLongRelease(WRITE_POINTER_OFFSET, to);
            VarHandle.storeStoreFence();
        }
        int slot = slot(seq);
        view.moveTo(slot + SLOT_BODY);
        return slot;
    }

    private long end(long seq, int slot) {
        int stamp = RingDescriptor.stamp(seq, capacityShift);
        next = seq + 1;
        if (blockingCount == 0) {
            // Release fence, then a plain 32-bit store (atomic): the entry's stores are visible
            // before the stamp that publishes it.
            VarHandle.releaseFence();
            buf.putInt(slot + SLOT_STAMP, stamp);
        } else {
            // Volatile store (also a release: the entry's stores are visible before it), then
            // the volatile loads of the sleepers words in wakeSleepers: Dekker with a reader
            // that sets its sleeper bit (compare-and-set, volatile) and then loads the stamp
            // (volatile). Both pairs are synchronization actions in program order, so the JMM
            // forbids both loads missing the other side's store: no wake-up is lost.
            buf.putIntVolatile(slot + SLOT_STAMP, stamp);
            wakeSleepers();
        }
        return seq;
    }

    /**
     * Wakes the readers asleep on the wake-up word, if any. Called right after the volatile store
     * of a stamp: a reader sets its bit in the sleepers word (compare-and-set) and then loads the
     * stamp (volatile), the writer stores the stamp (volatile) and then loads the sleepers word
     * (volatile), so at least one of them sees the other (Dekker, volatile-volatile). The
     * sleepers word is on a line readers write only when they go to sleep, so with no sleeper
     * this costs the store's fence and one load that hits the cache. The writer clears the bits
     * it saw before it wakes, so one sleep costs one wake-up, not one per publish until the
     * reader runs again.
     */
    private void wakeSleepers() {
        // Volatile loads: after the stamp's volatile store in the synchronization order.
        int low = buf.getIntVolatile(SLEEPERS_OFFSET);
        int high = wideRegistry ? buf.getIntVolatile(SLEEPERS_HIGH_OFFSET) : 0;
        if ((low | high) == 0) {
            return;
        }
        ring.checkSize(); // about to wake, a system call anyway: the size before the atomic updates
        take(SLEEPERS_OFFSET, low);
        if (high != 0) {
            take(SLEEPERS_HIGH_OFFSET, high);
        }
        // The futex word changes before the wake: a reader that loaded it before setting its bit
        // and has not slept yet returns from its wait at once.
        buf.getAndAddInt(WAKEUP_OFFSET, 1);
        wakeup.wakeAll();
        wakeups++;
    }

    /** Clears the bits {@code seen} of a sleepers word (compare-and-set: readers set theirs meanwhile). */
    private void take(int word, int seen) {
        int v = seen;
        while (!buf.compareAndSetInt(word, v, v & ~seen)) {
            v = buf.getIntVolatile(word);
        }
    }

    /** Gives up the writer role (the ring stays open); idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (buf.isOpen() && announced > next) {
                // For inspection: the pointer as it is, not a block ahead (the slots above are unpublished).
                buf.putLongRelease(WRITE_POINTER_OFFSET, next);
            }
            ring.roles().releaseWriter(this);
        }
    }

    @Override
    public String toString() {
        return "RingWriter[" + ring.name() + ", next=" + next + ", " + mode() + "]";
    }
}
