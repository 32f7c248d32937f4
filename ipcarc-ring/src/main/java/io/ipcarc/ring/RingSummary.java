package io.ipcarc.ring;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.SharedView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a copy of a ring payload (or of its first bytes) tells about the ring, read once for the
 * two descriptions inspection tools ask of {@link RingPayloadFormatter}: its one line of text and
 * its plain data for JSON. The copy may be torn and short: what is not in it is left out, never
 * guessed.
 *
 * @param capacity entries
 * @param entrySize bytes of an entry
 * @param readerSlots reader slots
 * @param writePointer the write pointer, raised a block ahead of what is published
 * @param write the next sequence to publish, or -1 when the slots that tell it are not in the copy
 * @param writerPresent whether a process holds the writer role
 * @param writerPid the pid it recorded, for people
 * @param writerMode {@code lossless}, {@code lossy}, or {@code null} if no writer ever claimed the role
 * @param readers the registered readers within the copy, by id
 * @param shown how many reader slots the copy holds
 * @param copied bytes in the copy
 */
record RingSummary(int capacity, int entrySize, int readerSlots, long writePointer, long write, boolean writerPresent, int writerPid,
                   String writerMode,
                   List<Reader> readers, int shown, int copied) {

    /**
     * A registered reader slot.
     *
     * @param id its index
     * @param state its state
     * @param stateCode the stored state word (for a value no ring stores)
     * @param pid the pid of its last claimer, for people
     * @param position its committed position
     * @param lost entries it lost to overruns
     */
    record Reader(int id, ReaderState state, int stateCode, int pid, long position, long lost) {
    }

    /**
     * @param p a copy of the payload, from its offset 0
     * @return the summary, or {@code null} if the copy holds no ring of this layout
     */
    static RingSummary of(SharedView p) {
        if (p.capacity() < READERS_OFFSET || p.getLong(MAGIC_OFFSET) != MAGIC || p.getInt(VERSION_OFFSET) != VERSION) {
            return null;
        }
        int readerSlots = p.getInt(READER_SLOTS_OFFSET);
        int capacity = p.getInt(CAPACITY_OFFSET);
        long pointer = p.getLong(WRITE_POINTER_OFFSET);
        int word = p.getInt(WRITER_WORD_OFFSET);
        String mode = (word & WRITER_LOSSLESS) != 0 ? "lossless" : "lossy";
        boolean claimed = p.getLong(WRITER_HOLDER_OFFSET) != 0;
        int shown = Math.min(Math.max(0, Math.min(readerSlots, MAX_READERS)), (p.capacity() - READERS_OFFSET) / READER_SLOT_SIZE);
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            int slot = readerSlot(i);
            int code = p.getInt(slot + READER_STATE);
            if (code == ReaderState.FREE.code()) {
                continue;
            }
            ReaderState state = code == ReaderState.ACTIVE.code() ? ReaderState.ACTIVE
                    : code == ReaderState.DETACHED.code() ? ReaderState.DETACHED : null;
            readers.add(new Reader(i, state, code, p.getInt(slot + READER_PID), p.getLong(slot + READER_POSITION),
                    p.getLong(slot + READER_LOST)));
        }
        return new RingSummary(capacity, p.getInt(ENTRY_SIZE_OFFSET), readerSlots, pointer,
                RingPayloadFormatter.nextToPublish(p, pointer, capacity, readerSlots), claimed, claimed ? p.getInt(WRITER_PID_OFFSET) : 0,
                claimed || (word & -WRITER_CLAIM) != 0 ? mode : null, List.copyOf(readers), shown, p.capacity());
    }

    /**
     * @param r a reader
     * @return its lag: published entries it has not committed past; an upper bound (by at most a
     *     block of the write pointer) when {@link #write} is not known
     */
    long lag(Reader r) {
        return (write >= 0 ? write : writePointer) - r.position();
    }

    /** @return the summary as plain data: maps, lists, strings, numbers, booleans */
    Map<String, Object> toTree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("structure", "ring");
        m.put("capacity", capacity);
        m.put("entrySize", entrySize);
        m.put("readerSlots", readerSlots);
        m.put("writePointer", writePointer);
        m.put("write", write >= 0 ? write : null); // null: the slots that tell it were not in the copy
        Map<String, Object> writer = new LinkedHashMap<>();
        writer.put("present", writerPresent());
        writer.put("pid", writerPid);
        writer.put("mode", writerMode);
        m.put("writer", writer);
        List<Object> rs = new ArrayList<>();
        for (Reader r : readers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", r.id());
            e.put("state", r.state() == null ? "unknown(" + r.stateCode() + ")" : r.state().name().toLowerCase(Locale.ROOT));
            e.put("pid", r.state() == ReaderState.ACTIVE ? r.pid() : 0);
            e.put("position", r.position());
            e.put("lag", lag(r));
            e.put("lagExact", write >= 0);
            e.put("lost", r.lost());
            rs.add(e);
        }
        m.put("readers", rs);
        m.put("readersShown", shown);
        return m;
    }
}
