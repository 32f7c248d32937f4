package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.READER_BLOCKING;
import static io.ipcarc.ring.RingDescriptor.READER_CLAIM_VERSION;
import static io.ipcarc.ring.RingDescriptor.READER_HOLDER;
import static io.ipcarc.ring.RingDescriptor.READER_LOST;
import static io.ipcarc.ring.RingDescriptor.READER_PID;
import static io.ipcarc.ring.RingDescriptor.READER_POSITION;
import static io.ipcarc.ring.RingDescriptor.READER_STATE;
import static io.ipcarc.ring.RingDescriptor.REGISTRY_VERSION_OFFSET;
import static io.ipcarc.ring.RingDescriptor.ROOM_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_CLAIM;
import static io.ipcarc.ring.RingDescriptor.WRITER_HOLDER_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_LOSSLESS;
import static io.ipcarc.ring.RingDescriptor.WRITER_PID_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_SLEEPS;
import static io.ipcarc.ring.RingDescriptor.WRITER_WAITING_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITER_WORD_OFFSET;
import static io.ipcarc.ring.RingDescriptor.WRITE_POINTER_OFFSET;
import static io.ipcarc.ring.RingDescriptor.readerSlot;
import static io.ipcarc.ring.RingDescriptor.sleepersWord;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.FutexWord;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The registry of a ring's roles, for one handle: claiming and giving back the writer role and
 * the reader slots (docs/ring.md, "Reader slots" and "The writer role"), reserving and releasing
 * slots, the registry version and the sleepers words, the wake of a writer waiting for room, and
 * the claims this handle holds open, which {@link Ring#close()} gives back. Every change of a
 * role is made under the segment's robust lock.
 *
 * @param <T> the entry type
 */
final class RingRoles<T> {
    private final Ring<T> ring;
    private final IpcArc<byte[]> arc;
    private final SharedBuffer buf;
    private final FutexWord room;
    private final RingStatus status;
    private final long ringId;
    private final int capacity;
    private final int readerSlots;
    private final List<AutoCloseable> claims = new ArrayList<>();

    RingRoles(Ring<T> ring, IpcArc<byte[]> arc, RingStatus status) {
        this.ring = ring;
        this.arc = arc;
        this.buf = ring.buffer();
        this.room = ring.room();
        this.status = status;
        this.ringId = ring.ringId();
        this.capacity = ring.capacity();
        this.readerSlots = ring.readerSlots();
    }

    /** See {@link Ring#claimWriter(WriterMode, WaitStrategy)}. */
    RingWriter<T> claimWriter(WriterMode mode, WaitStrategy wait) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(wait, "wait");
        try (Guard<byte[]> g = arc.acquire()) {
            long holder = buf.getLong(WRITER_HOLDER_OFFSET);
            if (isLive(holder, LocalClaims.WRITER)) {
                throw new RingSlotBusyException("ring writer already claimed: name=" + ring.name() + ", pid="
                        + buf.getInt(WRITER_PID_OFFSET) + (holder == arc.holderId() ? " (this process)" : ""), ring.name());
            }
            buf.putLong(WRITER_HOLDER_OFFSET, arc.holderId());
            buf.putInt(WRITER_PID_OFFSET, (int) ProcessHandle.current().pid());
            int claimCount = (buf.getInt(WRITER_WORD_OFFSET) & -WRITER_CLAIM) + WRITER_CLAIM;
            int bits = mode == WriterMode.LOSSLESS ? WRITER_LOSSLESS | (wait == WaitStrategy.BLOCK ? WRITER_SLEEPS : 0) : 0;
            // Release: readers compare this word before and after a poll to notice a change of writer.
            buf.putIntRelease(WRITER_WORD_OFFSET, claimCount | bits);
            // The role is visible before the writer reads the registry (Dekker with a reader that
            // registers as blocking and then looks for a writer): full fence.
            VarHandle.fullFence();
            LocalClaims.open(ringId, LocalClaims.WRITER);
        }
        // Outside the lock (as little as possible inside): the role is this process's already.
        RingWriter<T> writer = new RingWriter<>(ring, mode, wait);
        register(writer);
        return writer;
    }

    /** Gives the writer role of an open writer of this handle back. */
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

    /** See {@link Ring#claimReader(int, StartFrom)}. */
    RingReader<T> claimReader(int id, StartFrom from) {
        Objects.requireNonNull(from, "from");
        int slot = readerSlot(checkReader(id));
        int version;
        try (Guard<byte[]> g = arc.acquire()) {
            ReaderState state = ReaderState.of(buf.getInt(slot + READER_STATE));
            long holder = buf.getLong(slot + READER_HOLDER);
            if (state == ReaderState.ACTIVE && isLive(holder, id)) {
                throw new RingSlotBusyException("reader id already in use: name=" + ring.name() + ", reader=" + id + ", pid="
                        + buf.getInt(slot + READER_PID) + (holder == arc.holderId() ? " (this process)" : ""), ring.name());
            }
            if (state == ReaderState.FREE) {
                long w = status.writePosition();
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
        RingReader<T> reader = new RingReader<>(ring, id, version); // outside the lock: as little as possible inside
        register(reader);
        return reader;
    }

    /** See {@link Ring#reserveReaders(int...)}. */
    void reserveReaders(int... ids) {
        for (int id : ids) {
            checkReader(id);
        }
        if (ids.length == 0) {
            return;
        }
        try (Guard<byte[]> g = arc.acquire()) {
            long w = status.writePosition();
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

    /** See {@link Ring#releaseReader(int)}. */
    void releaseReader(int id) {
        int slot = readerSlot(checkReader(id));
        try (Guard<byte[]> g = arc.acquire()) {
            long holder = buf.getLong(slot + READER_HOLDER);
            if (buf.getInt(slot + READER_STATE) == ReaderState.ACTIVE.code() && isLive(holder, id)) {
                throw new RingSlotBusyException("reader id in use, not released: name=" + ring.name() + ", reader=" + id
                        + ", pid=" + buf.getInt(slot + READER_PID), ring.name());
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
     * Wakes a lossless writer that sleeps until a reader commits or the registry changes. The
     * caller has just stored a position (volatile) or changed the registry version (an atomic
     * add: a volatile read and write); the writer stores its waiting flag (volatile) before it
     * loads them (volatile). The waiting flag is loaded volatile here: a volatile write then a
     * volatile read on both sides, so the JMM lets at most one side miss the other (Dekker).
     */
    void wakeWaitingWriter() {
        if (buf.getIntVolatile(WRITER_WAITING_OFFSET) == 0) {
            return;
        }
        arc.checkSize(); // a slow path: the size before the atomic updates (docs/design.md, "Truncation")
        if (buf.compareAndSetInt(WRITER_WAITING_OFFSET, 1, 0)) {
            buf.getAndAddInt(ROOM_OFFSET, 1);
            room.wakeAll();
        }
    }

    /**
     * Sets or clears reader {@code id}'s bit in the sleepers word, with compare-and-set (a full
     * fence: the bit is visible before anything this thread loads next).
     */
    void markSleeping(int id, boolean asleep) {
        arc.checkSize(); // a slow path (sleeping, claims): the size before the atomic update
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
        arc.checkSize(); // a slow path (claims, releases): the size before the atomic update
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
     * Releases the writer and detaches the readers of this handle that are still open, each once,
     * whatever the others do.
     *
     * @return what could not be given back, if anything: {@link CorruptSegmentException} when
     *     another process truncated or damaged the segment, else an {@link IllegalStateException}
     *     naming the ring; null if every claim was given back
     */
    RuntimeException closeClaims() {
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
                    failure = new IllegalStateException("cannot close a claim of ring " + ring.name() + ": " + e.getMessage(), e);
                }
            }
        }
        return failure;
    }
}
