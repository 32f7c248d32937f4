package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a map for people and tools ({@code ipcarc inspect}) from its file, read-only: no lock, no
 * mapping, no reference, no write, so an inspection never changes what it inspects and works on a
 * map whose every process died. Values written meanwhile are read as a lock-free reader reads them
 * (an entry is re-read if it changed while being read). The segment's payload is found as every
 * peer finds it (docs/design.md: the payload offset at 32 and its size at 36 of the segment header).
 */
public final class MapInspector {
    private static final long SEGMENT_MAGIC = 0x312E435241435049L;
    private static final int PAYLOAD_OFFSET_FIELD = 32;
    private static final int PAYLOAD_SIZE_FIELD = 36;

    private MapInspector() {
    }

    /**
     * A map as read.
     *
     * @param name segment name
     * @param mapId the map's random identity
     * @param created when it was created
     * @param capacity most keys
     * @param size keys now (the stripes' counts)
     * @param entries entries E
     * @param indexSlots index slots T
     * @param keyType the key descriptor
     * @param valueType the value descriptor
     * @param version the change counter
     * @param freeHead the allocator's free list head (entry + 1, 0 if empty)
     * @param bump the allocator's never-used watermark
     * @param stripes each stripe
     * @param shown the first keys and values, in index order
     * @param more keys not shown
     */
    public record Inspection(String name, long mapId, Instant created, int capacity, long size, int entries, int indexSlots,
                             String keyType, String valueType, long version, int freeHead, int bump, List<Stripe> stripes,
                             List<Entry> shown, long more) {
    }

    /**
     * One stripe as read.
     *
     * @param stripe its number
     * @param keys its count of keys
     * @param lock {@code free}, {@code held}, or {@code owner-died} (its holder died, nobody took it since)
     * @param ownerPid the pid its holder recorded (advisory; 0 when free)
     * @param repairPending whether a holder recovered it from a dead one and has not finished the repair
     * @param journal the operation its journal shows ({@code none} when idle)
     * @param repairs repairs of this stripe so far
     */
    public record Stripe(int stripe, long keys, String lock, int ownerPid, boolean repairPending, String journal, int repairs) {
    }

    /**
     * One key and its value, decoded from the stored descriptors.
     *
     * @param slot its index slot
     * @param key the key as text
     * @param value the value as text
     */
    public record Entry(int slot, String key, String value) {
    }

    /**
     * Reads a map.
     *
     * @param name the segment name
     * @param limit most keys to decode
     * @return what was read
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a map of this layout
     */
    public static Inspection inspect(String name, int limit) throws IOException {
        String n = name.startsWith("/") ? name : "/" + name;
        try (FileChannel ch = FileChannel.open(Path.of("/dev/shm", n.substring(1)), StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h.getLong(0) != SEGMENT_MAGIC) {
                throw new IllegalArgumentException("not an IpcArc segment: name=" + n);
            }
            long payloadOffset = h.getInt(PAYLOAD_OFFSET_FIELD) & 0xFFFFFFFFL;
            long payloadSize = h.getInt(PAYLOAD_SIZE_FIELD) & 0xFFFFFFFFL;
            if (payloadOffset + payloadSize > ch.size() || payloadSize < LOCKS_OFFSET) {
                throw new IllegalArgumentException("payload beyond the file: name=" + n + ", payloadOffset=" + payloadOffset
                        + ", payloadSize=" + payloadSize + ", fileSize=" + ch.size());
            }
            return new Reader(ch, n, payloadOffset, (int) payloadSize).read(limit);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("file shorter than expected: at=" + (at + b.position()));
            }
        }
        return b.flip();
    }

    /** Reads one map's payload, piece by piece, with {@code pread}. */
    private static final class Reader {
        private final FileChannel ch;
        private final String name;
        private final long base;
        private final int payloadSize;

        Reader(FileChannel ch, String name, long base, int payloadSize) {
            this.ch = ch;
            this.name = name;
            this.base = base;
            this.payloadSize = payloadSize;
        }

        private SharedView view(int at, int length) throws IOException {
            if (at < 0 || length < 0 || (long) at + length > payloadSize) {
                throw new IllegalArgumentException("map reaches beyond its payload: name=" + name + ", at=" + at);
            }
            return SharedView.wrap(MapInspector.read(ch, base + at, length).array());
        }

        Inspection read(int limit) throws IOException {
            SharedView h = view(0, LOCKS_OFFSET);
            Geometry g;
            try {
                g = Geometry.read(new Sized(h, payloadSize), name);
            } catch (io.ipcarc.CorruptSegmentException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            String keyType = text(g.descriptorsOffset(), g.keyDescriptorLength());
            String valueType = text(g.valueDescriptorOffset(), g.valueDescriptorLength());
            ShmLayout keys = ShmLayout.parse(keyType);
            ShmLayout values = ShmLayout.parse(valueType);
            List<Stripe> stripes = new ArrayList<>();
            long size = 0;
            for (int s = 0; s < g.stripes(); s++) {
                Stripe st = stripe(g, s);
                size += st.keys();
                stripes.add(st);
            }
            SharedView index = view(g.indexOffset(), g.indexSlots() * 4);
            List<Entry> shown = new ArrayList<>();
            long live = 0;
            int mask = g.indexMask();
            for (int p = 0; p < g.indexSlots(); p++) {
                int w = index.getInt(p * 4);
                if (!MapStore.isLive(w, mask)) {
                    continue;
                }
                live++;
                if (shown.size() < limit) {
                    shown.add(entry(g, p, w, keys, values));
                }
            }
            return new Inspection(name, h.getLong(MAP_ID_OFFSET), Instant.ofEpochMilli(h.getLong(CREATED_OFFSET)), g.capacity(),
                    size, g.entries(), g.indexSlots(), keyType, valueType, h.getLong(CHANGE_COUNTER_OFFSET),
                    h.getInt(FREE_HEAD_OFFSET), h.getInt(BUMP_OFFSET), List.copyOf(stripes), List.copyOf(shown),
                    live - shown.size());
        }

        private String text(int at, int length) throws IOException {
            byte[] b = new byte[length];
            view(at, length).getBytes(0, b, 0, length);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }

        private Stripe stripe(Geometry g, int s) throws IOException {
            SharedView lock = view(stripeLock(s), LOCK_SLOT);
            SharedView lines = view(MapDescriptor.stripe(g.stripes(), s), STRIPE_SIZE);
            int word = lock.getInt(0); // glibc's lock word: the owner's thread id, bit 30 once the kernel found it dead
            String state = (word & 0x40000000) != 0 ? "owner-died" : (word & 0x3FFFFFFF) != 0 ? "held" : "free";
            int op = lines.getInt(STRIPE_OP);
            String journal = op == OP_NONE ? "none" : op == OP_INSERT ? "insert" : op == OP_UPDATE ? "update"
                    : op == OP_REMOVE ? "remove" : "op" + op;
            return new Stripe(s, lines.getInt(STRIPE_COUNT) & 0xFFFFFFFFL, state, lock.getInt(LOCK_OWNER_PID),
                    lock.getInt(LOCK_OWNER_DIED) != 0, journal, lines.getInt(STRIPE_REPAIRS));
        }

        private Entry entry(Geometry g, int slot, int word, ShmLayout keys, ShmLayout values) throws IOException {
            int e = (word & g.indexMask()) - 1;
            if (e >= g.entries()) {
                return new Entry(slot, "(index word names no entry: " + e + ")", "");
            }
            for (int attempt = 0; attempt < 10; attempt++) {
                SharedView entry = view(g.entriesOffset() + e * g.entrySize(), g.entrySize());
                int st = view(g.entriesOffset() + e * g.entrySize(), 4).getInt(0);
                if (st == entry.getInt(ENTRY_STATE)) {
                    try {
                        return new Entry(slot, keys.format(entry, ENTRY_KEY), values.format(entry, g.valueOffset()));
                    } catch (RuntimeException ex) {
                        return new Entry(slot, "(cannot decode: " + ex.getMessage() + ")", "");
                    }
                }
            }
            return new Entry(slot, "(changing)", "");
        }
    }

    /** A header view that reports the payload's size as its capacity, as {@link Geometry#read} expects. */
    private record Sized(SharedView header, int payloadSize) implements SharedView {
        @Override
        public int capacity() {
            return payloadSize;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public SharedView slice(int offset, int length) {
            return header.slice(offset, length);
        }

        @Override
        public byte getByte(int offset) {
            return header.getByte(offset);
        }

        @Override
        public short getShort(int offset) {
            return header.getShort(offset);
        }

        @Override
        public char getChar(int offset) {
            return header.getChar(offset);
        }

        @Override
        public int getInt(int offset) {
            return header.getInt(offset);
        }

        @Override
        public long getLong(int offset) {
            return header.getLong(offset);
        }

        @Override
        public float getFloat(int offset) {
            return header.getFloat(offset);
        }

        @Override
        public double getDouble(int offset) {
            return header.getDouble(offset);
        }

        @Override
        public void getBytes(int offset, byte[] dst, int dstOffset, int length) {
            header.getBytes(offset, dst, dstOffset, length);
        }

        @Override
        public long getLongAcquire(int offset) {
            return header.getLongAcquire(offset);
        }

        @Override
        public long getLongVolatile(int offset) {
            return header.getLongVolatile(offset);
        }

        @Override
        public int getIntAcquire(int offset) {
            return header.getIntAcquire(offset);
        }

        @Override
        public int getIntVolatile(int offset) {
            return header.getIntVolatile(offset);
        }
    }
}
