package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.READER_BLOCKING;
import static io.ipcarc.ring.RingDescriptor.READER_LOST;
import static io.ipcarc.ring.RingDescriptor.READER_POSITION;
import static io.ipcarc.ring.RingDescriptor.SLOT_BODY;
import static io.ipcarc.ring.RingDescriptor.SLOT_STAMP;
import static io.ipcarc.ring.RingDescriptor.WAKEUP_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_HOLDER_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_LOSSLESS;
import static io.ipcarc.ring.RingDescriptor.WRITER_SEEN_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_SLEEPS;
import static io.ipcarc.ring.RingDescriptor.WRITER_WORD_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITE_POINTER_OFFSET;

import io.ipcarc.SharedBuffer;
import io.ipcarc.ring.events.ReaderLappedEvent;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One reader of a {@link Ring}, holding a reader slot whose position lives in shared memory.
 *
 * <p>Consume protocol for sequence {@code p} (docs/ring.md): load the stamp of p's slot with
 * acquire. The lap of {@code p} plus one ({@code p / capacity + 1}) means published. Smaller
 * means not published yet. Larger means the
 * writer lapped this reader: the lost range is reported and reading goes on with the newest
 * entries, which leaves the reader the most room before it can be lapped again. With a lossless writer that has acknowledged this reader's
 * registration, the handler reads published entries in place (the writer never overwrites an
 * entry a registered reader has not committed past; one load of the writer's word per poll
 * checks that the writer did not change meanwhile). Otherwise a batch of entries is copied, then
 * the write pointer is loaded once: a copy of sequence {@code q} is good if the pointer is at
 * most {@code q + capacity} (the writer stores it before it overwrites anything), and only good
 * copies are handed out.
 *
 * <p>The position is stored (release) only by {@link #commit()}, after the caller has
 * persisted what it consumed, so that a killed reader resumes exactly where its output ends. Not
 * thread-safe: one thread polls at a time.
 *
 * <pre>{@code
 * try (Ring<Long> ring = Ring.open("/numbers", Long.class);
 *      RingReader<Long> reader = ring.claimReader(0)) {
 *     int idle = 0;
 *     while (reader.position() < 1_000) {
 *         int n = reader.poll(e -> System.out.println(e.sequence() + ": " + e.getLong(0)), 256);
 *         reader.commit();                                 // after the output is safe
 *         idle = n > 0 ? 0 : idle + 1;
 *         reader.idle(WaitStrategy.BLOCK, idle);           // spins, yields, then sleeps until the writer publishes
 *     }
 * }
 * }</pre>
 *
 * @param <T> the entry type
 */
public final class RingReader<T> implements AutoCloseable {
    /** Rounds of {@link Thread#onSpinWait()} before a blocking reader yields. */
    static final int SPINS_BEFORE_YIELD = 64;
    /** Rounds of {@link Thread#yield()} after the spins, before it sleeps. */
    static final int YIELDS_BEFORE_SLEEP = 16;
    /** Fewest rounds of spinning before a blocking reader sleeps, however slowly entries come. */
    static final int MIN_SPINS = 4;
    /** Longest sleep once the writer has acknowledged that this reader blocks; a safety net only. */
    static final long SLEEP_NANOS = 100_000_000L;
    /** Longest sleep before that acknowledgement: the writer may not wake this reader yet. */
    static final long UNACKNOWLEDGED_SLEEP_NANOS = 1_000_000L;
    /** Most entries copied before one validation. */
    static final int MAX_BATCH = 256;
    /** Most bytes copied before one validation. */
    static final int BATCH_BYTES = 16 * 1024;

    private final Ring<T> ring;
    private final SharedBuffer buf;
    private final int id;
    private final int slot;
    private final int mask;
    private final int capacity;
    private final int capacityShift;
    /** How far ahead of the published entries the writer may raise the write pointer. */
    private final int ahead;
    private final int slotSize;
    private final int entries;
    private final RingEntry<T> entry;
    /** Copies of a batch of entries, for readers that may not read in place. */
    private final byte[] batch;
    private final int batchEntries;
    /** The registry version after which a lossless writer is known to respect this reader's position. */
    private int claimVersion;
    /** The writer word of the writer that acknowledged {@link #claimVersion}, or 0. */
    private int acknowledgedBy;
    /** The registry version this reader's blocking flag produced. */
    private int blockingVersion;
    private long position;
    private long committed;
    private long lost;
    private boolean blocking;
    private boolean closed;
    /** Rounds a blocking reader spins and yields before it sleeps, adapted to how entries come. */
    private int spinBudget = SPINS_BEFORE_YIELD + YIELDS_BEFORE_SLEEP;
    private boolean idledBefore;
    /** Whether the last run of copies was whole: the reader is behind the writer. */
    private boolean behind;
    private boolean sleptThisIdle;

    RingReader(Ring<T> ring, int id, int claimVersion) {
        this.ring = ring;
        this.buf = ring.buffer();
        this.id = id;
        this.slot = RingDescriptor.readerSlot(id);
        this.capacity = ring.capacity();
        this.mask = capacity - 1;
        this.capacityShift = ring.capacityShift();
        this.ahead = RingDescriptor.announceAhead(capacity);
        this.slotSize = ring.slotSize();
        this.entries = ring.entriesOffset();
        this.batchEntries = Math.max(1, Math.min(MAX_BATCH, BATCH_BYTES / slotSize));
        this.batch = new byte[batchEntries * slotSize];
        this.entry = new RingEntry<>(ring.entryType(), buf, SharedBuffer.wrap(batch));
        this.claimVersion = claimVersion;
        this.position = buf.getLongAcquire(slot + READER_POSITION);
        this.committed = position;
        this.lost = buf.getLongAcquire(slot + READER_LOST);
    }

    /**
     * Returns this reader's id.
     *
     * @return this reader's id
     */
    public int id() {
        return id;
    }

    /**
     * Returns the next sequence this reader will consume.
     *
     * @return the next sequence this reader will consume
     */
    public long position() {
        return position;
    }

    /**
     * Returns the position last stored by {@link #commit()} (or found when the slot was claimed).
     *
     * @return the position last stored by {@link #commit()} (or found when the slot was claimed)
     */
    public long committedPosition() {
        return committed;
    }

    /**
     * Returns entries this reader lost to overruns, in total.
     *
     * @return entries this reader lost to overruns, in total
     */
    public long lost() {
        return lost;
    }

    /**
     * Returns entries published but not consumed yet.
     *
     * @return entries published but not consumed yet
     */
    public long lag() {
        return ring.writePosition() - position;
    }

    /**
     * Moves the position, for example to where the reader's output file ends. Stored with the
     * next {@link #commit()}. Entries before the committed position may already be overwritten:
     * they are read from a validated copy, and lost ones are reported.
     *
     * @param seq the next sequence to consume
     */
    public void seek(long seq) {
        checkOpen();
        if (seq < 0) {
            throw new IllegalArgumentException("sequence must not be negative: name=" + ring.name() + ", seq=" + seq);
        }
        position = seq;
    }

    private int slotOf(long seq) {
        return entries + (int) (seq & mask) * slotSize;
    }

    /**
     * Consumes up to {@code max} published entries; losses are counted in {@link #lost()}.
     *
     * @param handler receives each entry, in order
     * @param max the most entries to consume in this call
     * @return entries handed to {@code handler}
     */
    public int poll(EntryHandler<T> handler, int max) {
        return poll(handler, LossListener.IGNORE, max);
    }

    /**
     * Consumes up to {@code max} published entries. If the handler throws, the position stays
     * at the entry it was given and the exception propagates.
     *
     * @param handler receives each entry, in order
     * @param losses told about each range of entries the writer overwrote before they were read
     * @param max the most entries to consume in this call
     * @return entries handed to {@code handler}
     * @throws RingOverrunException if entries read in place were overwritten while the handler
     *     read them: possible only when a lossy writer took over from a lossless one meanwhile;
     *     discard what the handler made of the entries of this call
     */
    public int poll(EntryHandler<T> handler, LossListener losses, int max) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(losses, "losses");
        checkOpen();
        if (stampAhead(slotOf(position), position) < 0) {
            // Nothing published at the position (the slot holds an earlier lap): nothing to read
            // or to lose, whichever way the entries would be read. A spinning caller loads one
            // word per round, which ping-pong round trips showed to matter (docs/ring.md, Measured).
            return 0;
        }
        // Plain 32-bit load, then an acquire fence: the writer's acknowledgement, read next, was
        // stored after this word.
        int word = buf.getInt(WRITER_WORD_OFFSET);
        VarHandle.acquireFence();
        if (inPlaceAllowed(word)) {
            return pollInPlace(handler, losses, max, word);
        }
        return pollCopies(handler, losses, max);
    }

    /**
     * Whether entries may be read in place: the writer is lossless and has acknowledged this
     * reader's registration (so every publish since respects the committed position), and the
     * position is not before the committed one.
     */
    private boolean inPlaceAllowed(int word) {
        if ((word & WRITER_LOSSLESS) == 0 || position < committed) {
            return false;
        }
        if (word != acknowledgedBy) {
            // Acquire: pairs with the writer's release after it read the registry.
            if (buf.getIntAcquire(WRITER_SEEN_OFFSET) - claimVersion < 0) {
                return false;
            }
            acknowledgedBy = word;
        }
        return true;
    }

    private int pollInPlace(EntryHandler<T> handler, LossListener losses, int max, int word) {
        long start = position;
        long p = start;
        int n = 0;
        boolean lapped = false;
        while (n < max) {
            int s = slotOf(p);
            int ahead = stampAhead(s, p);
            if (ahead != 0) {
                lapped = ahead > 0; // else not published yet
                break;
            }
            entry.inPlace(s + SLOT_BODY, p);
            handler.onEntry(entry);
            position = ++p;
            n++;
        }
        if (n > 0) {
            // The handler's loads happen before the writer's words are loaded again (load-load fence).
            VarHandle.loadLoadFence();
            if (buf.getInt(WRITER_WORD_OFFSET) != word
                    && buf.getLongAcquire(WRITE_POINTER_OFFSET) - start > capacity) {
                throw new RingOverrunException("entries overwritten while the handler read them in place: name="
                        + ring.name() + ", reader=" + id + ", seq=" + start + ".." + (p - 1)
                        + " (a lossy writer took over meanwhile)", ring.name());
            }
        }
        if (lapped) {
            n += pollCopies(handler, losses, max - n); // only after a change of writer; reports the loss
        }
        return n;
    }

    /**
     * Copies a batch of published entries, then checks with one load of the write pointer which
     * copies the writer could not have been overwriting (those of sequences at least the write
     * pointer minus the capacity), reports the others as lost and hands the good ones out.
     *
     * <p>A batch is a run of consecutive slots (it ends at the ring's end at the latest), copied
     * whole with one bulk copy after its stamps were checked. The writer publishes in sequence
     * order and never skips one, so when the stamp of the run's last slot says published
     * (acquire), every entry of the run was published and its stores are visible: that one stamp
     * is the whole check. A reader that caught up with the writer last time, or whose run's last
     * entry is not published, checks the stamps one by one up to the first that is not published
     * yet (or is a later lap).
     */
    private int pollCopies(EntryHandler<T> handler, LossListener losses, int max) {
        int n = 0;
        while (n < max) {
            long start = position;
            int first = slotOf(start);
            int run = (int) Math.min(Math.min(batchEntries, max - n), capacity - (start & mask));
            int k = run;
            boolean lapped = false;
            // Only a reader that is behind (its last run was whole) looks at the run's last
            // slot first: a reader that caught up would load a slot the writer is about to
            // write, which costs the writer a cache miss on every entry.
            if (!behind || run == 1 || stampAhead(first + (run - 1) * slotSize, start + run - 1) != 0) {
                k = 0;
                while (k < run) {
                    int ahead = stampAhead(first + k * slotSize, start + k);
                    if (ahead != 0) {
                        lapped = ahead > 0; // else not published yet
                        break;
                    }
                    k++;
                }
            }
            if (k == 0 && !lapped) {
                break; // nothing published
            }
            // Plain loads of whole slots, after the stamp loads' acquire fences.
            buf.getBytes(first, batch, 0, k * slotSize);
            long p = start + k;
            // The copies' loads happen before the write pointer is loaded (load-load fence); the
            // writer stores it before it writes an entry, so copies of sequences from w - capacity
            // on were not being overwritten.
            VarHandle.loadLoadFence();
            long w = buf.getLongAcquire(WRITE_POINTER_OFFSET);
            long from = start;
            if (lapped || start < w - capacity) {
                // Lapped: go on with the newest entries (a block below the write pointer at
                // most), which leaves the most room before the writer can lap this reader again.
                from = Math.max(start + 1, w - ahead);
                lose(losses, start, from);
            }
            for (long q = from; q < p; q++) {
                entry.copied((int) (q - start) * slotSize + SLOT_BODY, q);
                handler.onEntry(entry);
                position = q + 1;
                n++;
            }
            behind = k == run;
            if (k < run && !lapped) {
                break; // caught up
            }
        }
        return n;
    }

    /**
     * Loads the stamp of the slot of {@code seq}: a plain 32-bit load (atomic), then an acquire
     * fence, so that the entry's stores, made before the stamp's store, are visible.
     *
     * @return 0 if the slot holds {@code seq}, published; negative if it is not published yet;
     *     positive if it holds a later lap (this reader was lapped)
     */
    private int stampAhead(int slotOffset, long seq) {
        int stamp = buf.getInt(slotOffset + SLOT_STAMP);
        VarHandle.acquireFence();
        return Integer.signum(stamp - RingDescriptor.stamp(seq, capacityShift));
    }

    private void lose(LossListener losses, long from, long to) {
        position = to;
        lost += to - from;
        // Release: for inspection and the writer's status line.
        buf.putLongRelease(slot + READER_LOST, lost);
        ReaderLappedEvent.emit(ring.name(), id, from, to, lost);
        losses.onLoss(from, to);
    }

    /**
     * Stores the position (release: every entry before it has been read, so the writer may
     * overwrite them), after what was consumed has been persisted; with a lossless writer that
     * may sleep in the kernel waiting for room ({@link WaitStrategy#BLOCK}) the store is volatile
     * and followed by a volatile load of whether it sleeps, to wake it. Cheap when nothing changed.
     */
    public void commit() {
        checkOpen();
        if (position == committed) {
            return;
        }
        boolean backwards = position < committed;
        committed = position;
        // Plain 32-bit load of a word written only when the writer role changes hands.
        if ((buf.getInt(WRITER_WORD_OFFSET) & WRITER_SLEEPS) != 0) {
            // Volatile store (also a release), then the volatile load of the writer's waiting
            // flag in wakeWaitingWriter: Dekker with the writer's volatile store of the flag and
            // volatile loads of the positions (RingWriter.sleepForRoom).
            buf.putLongVolatile(slot + READER_POSITION, position);
            ring.roles().wakeWaitingWriter(); // a lossless writer may sleep until a reader makes room
        } else {
            // Release: every entry before it has been read, the writer may overwrite them. This
            // writer never sleeps waiting for room (lossy, or a lossless one that spins, yields or
            // parks for bounded times), so there is nobody to wake: one store, no fence.
            buf.putLongRelease(slot + READER_POSITION, position);
        }
        if (backwards) {
            // The writer's cached slowest position may be beyond the new one: until it has read
            // the registry again, entries are read from validated copies.
            claimVersion = ring.roles().bumpRegistry();
            acknowledgedBy = 0;
        }
    }

    /**
     * Waits a little for the writer, the way {@code strategy} says. With
     * {@link WaitStrategy#BLOCK} the reader spins (up to 64 rounds), yields (up to 16), then
     * sleeps in the kernel on the ring's futex word until the writer publishes (protocol in
     * docs/ring.md); how long it spins and yields adapts to how entries come: down to 4 rounds
     * when it ends up asleep anyway. The other strategies do not involve the ring.
     *
     * @param strategy how to wait
     * @param rounds consecutive idle rounds before this one
     */
    public void idle(WaitStrategy strategy, int rounds) {
        idle(strategy, rounds, SLEEP_NANOS);
    }

    /**
     * As {@link #idle(WaitStrategy, int)}, sleeping at most {@code maxSleepNanos} with
     * {@link WaitStrategy#BLOCK}: for a caller that has something to do by then, such as
     * writing out what it consumed.
     *
     * @param strategy how to wait
     * @param rounds consecutive idle rounds before this one
     * @param maxSleepNanos the longest sleep in the kernel, at most 100 ms
     */
    public void idle(WaitStrategy strategy, int rounds, long maxSleepNanos) {
        if (strategy != WaitStrategy.BLOCK) {
            strategy.idle(rounds);
            return;
        }
        if (rounds == 0) {
            adaptSpinning();
        }
        if (rounds < Math.min(spinBudget, SPINS_BEFORE_YIELD)) {
            Thread.onSpinWait();
        } else if (rounds < spinBudget) {
            Thread.yield(); // on a busy host this lets the writer run instead of us sleeping and waking
        } else {
            sleptThisIdle = true;
            sleepOnce(Math.max(0, Math.min(maxSleepNanos, SLEEP_NANOS)));
        }
    }

    /**
     * At the start of an idle period, learns from the last one how long to spin and yield
     * before sleeping: less if the last one ended asleep anyway (entries come slowly: spinning
     * only burns CPU), more if an entry came while spinning or yielding (a sleep would have cost
     * a wake-up).
     */
    private void adaptSpinning() {
        if (idledBefore) {
            spinBudget = sleptThisIdle ? Math.max(MIN_SPINS, spinBudget / 2)
                    : Math.min(SPINS_BEFORE_YIELD + YIELDS_BEFORE_SLEEP, spinBudget * 2);
        }
        idledBefore = true;
        sleptThisIdle = false;
    }

    /** Sleeps until the writer publishes, for at most the safety-net timeout. */
    SleepOutcome sleepOnce() {
        return sleepOnce(SLEEP_NANOS);
    }

    /** Sleeps until the writer publishes, for at most {@code maxNanos} (and shorter while the writer may not know). */
    private SleepOutcome sleepOnce(long maxNanos) {
        checkOpen();
        if (!blocking) {
            startBlocking();
        }
        // The writer wakes this reader only once it has read the registry with its blocking flag
        // (or, with no writer yet, the next writer's claim will): until then, short naps.
        boolean known = buf.getIntAcquire(WRITER_SEEN_OFFSET) - blockingVersion >= 0
                || buf.getLongAcquire(WRITER_HOLDER_OFFSET) == 0;
        return sleepFor(Math.min(maxNanos, known ? SLEEP_NANOS : UNACKNOWLEDGED_SLEEP_NANOS));
    }

    /**
     * Announces the sleep, checks once more, sleeps.
     *
     * @param timeoutNanos the longest sleep
     * @return what happened
     */
    SleepOutcome sleepFor(long timeoutNanos) {
        int epoch = buf.getIntVolatile(WAKEUP_OFFSET);
        // Compare-and-set (a volatile read and write), then a volatile load of the stamp: the
        // writer stores the stamp (volatile) and then loads the sleepers word (volatile). The JMM
        // orders a volatile store before a later volatile load of the same thread, so one of the
        // two sees the other (Dekker): the reader sees the entry or the writer sees the bit.
        ring.roles().markSleeping(id, true);
        try {
            if (buf.getIntVolatile(slotOf(position) + SLOT_STAMP) - RingDescriptor.stamp(position, capacityShift) >= 0) {
                return SleepOutcome.NOT_NEEDED;
            }
            return ring.wakeup().await(epoch, timeoutNanos) ? SleepOutcome.WOKEN : SleepOutcome.TIMED_OUT;
        } finally {
            ring.roles().markSleeping(id, false); // the writer cleared it already if it woke this reader
        }
    }

    /** Tells the writer that this reader may sleep in the kernel, so that it wakes it after each publish. */
    void startBlocking() {
        buf.putIntRelease(slot + READER_BLOCKING, 1);
        // The atomic add is a full fence: the flag is visible before the version changes, and
        // before this reader next loads the writer's words.
        blockingVersion = ring.roles().bumpRegistry();
        blocking = true;
    }

    /**
     * Frees the slot for good: a lossless writer stops waiting for it, and this reader is
     * closed. A later claim of the id starts afresh.
     */
    public void release() {
        if (!closed) {
            closed = true;
            ring.roles().releaseOwnReader(this);
        }
    }

    /**
     * Leaves the slot registered ({@link ReaderState#DETACHED}) at the committed position, so
     * that a restarted reader resumes there and a lossless writer keeps waiting for it.
     * Entries consumed after the last {@link #commit()} will be consumed again. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ring.roles().detachReader(this);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ring reader is closed: name=" + ring.name() + ", reader=" + id);
        }
    }

    @Override
    public String toString() {
        return "RingReader[" + ring.name() + ", id=" + id + ", position=" + position + "]";
    }
}
