package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.*;

import io.ipcarc.HolderInfo;
import io.ipcarc.LockInfo;
import io.ipcarc.SegmentInfo;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.ipcarc.spi.PayloadFormatter;
import io.ipcarc.posix.lock.MutexWords;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.ProcessIds;

/**
 * Builds a {@link SegmentInfo} for one name from a copy of the file's bytes: no mapping, no
 * lock, no write. The copy is taken with plain reads, so values written concurrently may be
 * torn; that is the price of never changing what is inspected.
 */
public final class SegmentInspector {
    /** Header, holder table and the longest descriptor. */
    private static final int HEADER_READ = DESCRIPTOR_OFFSET + ShmLayout.MAX_DESCRIPTOR_BYTES;
    /** The most payload bytes copied for decoding. */
    static final int PAYLOAD_READ_LIMIT = 1 << 20;
    /** The payload bytes copied for a raw region: enough for its first bytes and a ring's header. */
    static final int RAW_READ_LIMIT = 4096;
    /** The longest decoded payload text kept. */
    static final int PAYLOAD_TEXT_LIMIT = 4096;

    private SegmentInspector() {
    }

    /**
     * @param name a normalised name
     * @return what is there
     * @throws SegmentNotFoundException if nothing has that name
     */
    public static SegmentInfo inspect(String name) {
        ShmDirectory.Attributes attrs;
        try {
            attrs = ShmDirectory.attributes(name);
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("segment not found: errno=ENOENT, name=" + name, name);
        } catch (IOException e) {
            return unreadable(name, null, "cannot stat: " + e);
        }
        if (!attrs.regular()) {
            return foreign(name, attrs, "not a regular file");
        }
        try (FileChannel ch = ShmDirectory.openForReading(name)) {
            return read(name, attrs, ch);
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("segment not found: errno=ENOENT, name=" + name, name);
        } catch (IndexOutOfBoundsException e) {
            return foreign(name, attrs, "object shrank while being read");
        } catch (AccessDeniedException e) {
            return unreadable(name, attrs, "errno=EACCES");
        } catch (IOException e) {
            return unreadable(name, attrs, "cannot read: " + e);
        }
    }

    /**
     * @param includeForeign whether to keep foreign and unreadable files
     * @return every file of the directory that still exists, inspected
     */
    public static List<SegmentInfo> list(boolean includeForeign) {
        List<SegmentInfo> out = new ArrayList<>();
        for (String name : ShmDirectory.names()) {
            SegmentInfo s;
            try {
                s = inspect(name);
            } catch (SegmentNotFoundException | IllegalArgumentException e) {
                continue; // removed since the directory was read, or a name IpcArc cannot use
            }
            if (includeForeign || s.kind() == SegmentInfo.Kind.SEGMENT) {
                out.add(s);
            }
        }
        return out;
    }

    private static SegmentInfo read(String name, ShmDirectory.Attributes attrs, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < PAGE) {
            return foreign(name, attrs, "object too small: size=" + size + ", min=" + PAGE);
        }
        SharedView h = SharedView.wrap(ShmDirectory.read(ch, 0, (int) Math.min(size, HEADER_READ)));
        long magic = h.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            return foreign(name, attrs, "no IpcArc magic: magic=0x" + Long.toHexString(magic));
        }
        SegmentHeader header = SegmentHeader.read(h);
        String problem = header.problem(name, size);
        if (problem != null) {
            return foreign(name, attrs, problem);
        }
        String descriptor = header.descriptor(h);
        if (ShmLayout.fingerprint(descriptor) != h.getLong(FINGERPRINT_OFFSET)) {
            return foreign(name, attrs, "descriptor does not match its fingerprint: descriptor=" + descriptor);
        }
        int state = h.getInt(STATE_OFFSET);
        int creatorPid = h.getInt(CREATOR_PID_OFFSET);
        // The committed copy of a crash-atomic payload is the one bit 1 of the commit word names.
        long word = h.getLong(SEQUENCE_OFFSET);
        int copy = header.crashAtomic() && (word & 2) != 0 ? 1 : 0;
        int wanted = Math.min(header.payloadSize(), descriptor.matches("bytes[<\\[].*") ? RAW_READ_LIMIT : PAYLOAD_READ_LIMIT);
        byte[] payload = ShmDirectory.read(ch, header.copyOffset(copy), wanted);
        // The last close marks the segment unlinked, then punches the pages after the first: a payload
        // read meanwhile may be zeros no writer committed, so it is shown only if the state did not move.
        int stateAfter = SharedView.wrap(ShmDirectory.read(ch, STATE_OFFSET, 4)).getInt(0);
        boolean gone = stateAfter != state;
        state = stateAfter;
        Liveness live = Liveness.of(name, attrs.inode());
        try {
            boolean creatorAlive = state == STATE_INITIALIZING ? live.creatorAtWork()
                    : ProcessIds.isAlive(creatorPid, h.getLong(CREATOR_START_OFFSET));
            LockInfo lock = MutexWords.decode(h, USER_MUTEX_OFFSET, OWNER_PID_OFFSET);
            if (h.getInt(OWNER_DIED_OFFSET) != 0) {
                lock = new LockInfo(lock.state(), lock.pid(), lock.tid(), true, h.getInt(DEAD_OWNER_PID_OFFSET));
            }
            Decoded value = gone ? new Decoded("(unlinked while reading: its last holder closed it)", null)
                    : decode(descriptor, payload);
            return new SegmentInfo(name, SegmentInfo.Kind.SEGMENT, null, attrs.inode(), size, attrs.mode(), attrs.uid(),
                    attrs.gid(), stateName(state), descriptor, header.payloadSize(), modeName(header.payloadMode()), creatorPid,
                    creatorAlive, Instant.ofEpochMilli(h.getLong(CREATED_MILLIS_OFFSET)), h.getLong(REFCOUNT_OFFSET),
                    holders(h, live), lock, value.text(), value.tree());
        } finally {
            live.close();
        }
    }

    private static List<HolderInfo> holders(SharedView h, Liveness live) {
        List<HolderInfo> out = new ArrayList<>();
        for (int i = 0; i < HOLDER_SLOTS; i++) {
            int slot = holderSlotOffset(i);
            int pid = h.getInt(slot + HOLDER_PID);
            if (pid != 0) {
                long start = h.getLong(slot + HOLDER_START);
                out.add(new HolderInfo(pid, start, ProcessIds.ticksToInstant(start), h.getLong(slot + HOLDER_HANDLES),
                        live.holderAlive(i)));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The kernel-kept signs of life of one object, asked through a read-only descriptor: the
     * holders' liveness tokens and the creator's flock. Without such a descriptor (another
     * process's object this user may not open) every holder counts as alive, so that nothing is
     * ever reaped or removed on a guess.
     */
    private static final class Liveness implements AutoCloseable {
        private final ShmFile file;

        private Liveness(ShmFile file) {
            this.file = file;
        }

        static Liveness of(String name, long inode) {
            ShmFile f = ShmFile.open(name, Linux.O_RDONLY, 0);
            if (f != null && f.inode() != inode) {
                f.close();
                f = null;
            }
            return new Liveness(f);
        }

        boolean holderAlive(int slot) {
            return file == null || HolderLocks.isHeld(file.fd, slot);
        }

        boolean creatorAtWork() {
            return file == null || file.creatorActive();
        }

        @Override
        public void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    /** A payload decoded from the descriptor alone: its text, and the same as plain data (or null). */
    record Decoded(String text, Object tree) {
    }

    /** Decodes the payload from the descriptor alone; never throws. */
    static Decoded decode(String descriptor, byte[] payload) {
        String text;
        Object tree;
        try {
            ShmLayout layout = ShmLayout.parse(descriptor);
            SharedView buffer = SharedView.wrap(payload);
            // A tagged raw region may hold a structure a module built on IpcArc describes (a ring).
            Optional<PayloadFormatter> formatter = layout instanceof ShmLayout.Bytes b
                    && b.tag() != null ? PayloadFormatter.forTag(b.tag()) : Optional.empty();
            text = formatter.isPresent() ? formatter.get().format(buffer) : layout.format(buffer, 0);
            tree = formatter.isPresent() ? formatter.get().toTree(buffer) : layout.toTree(buffer, 0);
        } catch (IndexOutOfBoundsException e) {
            return new Decoded("(payload larger than " + PAYLOAD_READ_LIMIT + " bytes: not decoded)", null);
        } catch (RuntimeException e) {
            return new Decoded("(cannot decode: " + e.getMessage() + ")", null);
        }
        return new Decoded(text.length() > PAYLOAD_TEXT_LIMIT ? text.substring(0, PAYLOAD_TEXT_LIMIT) + "..." : text, tree);
    }

    private static SegmentInfo foreign(String name, ShmDirectory.Attributes attrs, String problem) {
        return other(name, SegmentInfo.Kind.FOREIGN, attrs, problem);
    }

    private static SegmentInfo unreadable(String name, ShmDirectory.Attributes attrs, String problem) {
        return other(name, SegmentInfo.Kind.UNREADABLE, attrs, problem);
    }

    private static SegmentInfo other(String name, SegmentInfo.Kind kind, ShmDirectory.Attributes a, String problem) {
        return new SegmentInfo(name, kind, problem, a == null ? -1 : a.inode(), a == null ? -1 : a.size(),
                a == null ? 0 : a.mode(), a == null ? -1 : a.uid(), a == null ? -1 : a.gid(), null, null, 0, null, 0, false,
                null, 0, List.of(), LockInfo.UNKNOWN, null, null);
    }
}
