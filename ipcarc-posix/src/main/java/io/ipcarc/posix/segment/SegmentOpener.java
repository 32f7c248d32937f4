package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.*;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArcException;
import io.ipcarc.PayloadLock;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import io.ipcarc.TypeMismatchException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.lock.ProcessMutex;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.Binding;

import io.ipcarc.posix.sys.Errors;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.RawMemory;

/**
 * The create and load protocols of docs/design.md: how a segment comes into existence, how a
 * process attaches to one, and how a segment left behind by a creator that died is recognised.
 */
public final class SegmentOpener {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    private static final long POLL_NANOS = 1_000_000L;
    /** A creator needs microseconds between shm_open and writing the header; older empty objects are abandoned. */
    private static final long ABANDONED_AFTER_MILLIS = 2_000;
    private static final int MAX_ATTEMPTS = 50;
    /** Fault injection for tests: the creator sleeps this long before publishing READY. */
    private static final long STALL_BEFORE_READY_MILLIS = Long.getLong("io.ipcarc.debug.stallBeforeReadyMillis", 0);

    private SegmentOpener() {
    }

    /**
     * Creates a segment: O_CREAT|O_EXCL, size, posix_fallocate, map, header, mutexes, value,
     * first holder, then READY with a release store. Every size is checked before anything is
     * created, with arithmetic that cannot overflow.
     *
     * @param <T> the payload type
     * @param name the normalised name
     * @param type the payload type
     * @param value the initial value, or {@code null} for zeros
     * @param options mode, payload mode, payload locks
     * @return the segment, with this process's first reference
     */
    public static <T> OpenSegment create(String name, ShmType<T> type, T value, ArcOptions options) {
        byte[] descriptor = type.descriptor().getBytes(StandardCharsets.UTF_8);
        if (descriptor.length > ShmLayout.MAX_DESCRIPTOR_BYTES) {
            throw new IllegalArgumentException("type descriptor too long: name=" + name + ", bytes=" + descriptor.length
                    + ", max=" + ShmLayout.MAX_DESCRIPTOR_BYTES);
        }
        boolean crashAtomic = options.resolvePayloadMode(type.size()) == ArcOptions.PayloadMode.CRASH_ATOMIC;
        ArcOptions.PayloadLocks locks = options.payloadLocks();
        if (locks.count() > 0 && (crashAtomic || locks.end() > type.size())) {
            throw new IllegalArgumentException("payload locks need a raw payload that holds them: name=" + name + ", payloadMode="
                    + (crashAtomic ? "crash-atomic" : "raw") + ", payloadSize=" + type.size() + ", locks=" + locks.offset()
                    + ".." + locks.end() + " (" + locks.count() + " x " + PayloadLock.SLOT_BYTES + " bytes)");
        }
        int payloadOffset = payloadOffset(descriptor.length);
        long size = segmentSize(payloadOffset, type.size(), crashAtomic ? 2 : 1);
        if (size > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("payload too large for one segment: name=" + name + ", payloadSize="
                    + type.size() + ", payloadMode=" + (crashAtomic ? "crash-atomic (two copies)" : "raw") + ", segmentSize="
                    + size + ", max=" + MAX_SEGMENT_BYTES);
        }
        for (int attempt = 0; ; attempt++) {
            ShmFile file = ShmFile.open(name, Linux.O_RDWR | Linux.O_CREAT | Linux.O_EXCL, options.mode());
            if (file == null) {
                int errno = Binding.C.errno();
                if (errno == Linux.EEXIST && attempt < MAX_ATTEMPTS && removeIfAbandoned(name)) {
                    LockSupport.parkNanos(POLL_NANOS);
                    continue;
                }
                if (errno == Linux.EEXIST) {
                    throw new SegmentExistsException("segment exists: name=" + name + describeExisting(name), name);
                }
                throw Errors.syscall("shm_open", errno, name, "flags=O_CREAT|O_EXCL, mode=0" + Integer.toOctalString(options.mode()));
            }
            Attachment att;
            try {
                att = Attachment.join(file, file.inode());
            } catch (RuntimeException | Error e) {
                file.close();
                Binding.C.shm_unlink(name);
                throw e;
            }
            try {
                return initialize(file, att, type, value, options, descriptor, payloadOffset, size, crashAtomic);
            } catch (RuntimeException | Error e) {
                att.leave();
                Binding.C.shm_unlink(name);
                throw e;
            }
        }
    }

    private static <T> OpenSegment initialize(ShmFile file, Attachment att, ShmType<T> type, T value, ArcOptions options,
                                              byte[] descriptor, int payloadOffset, long size, boolean crashAtomic) {
        String name = file.name;
        file.lockExclusive();
        if (Binding.C.fchmod(file.fd, options.mode()) != 0) {
            throw Errors.syscall("fchmod", Binding.C.errno(), name, "mode=0" + Integer.toOctalString(options.mode()));
        }
        if (Binding.C.ftruncate(file.fd, size) != 0) {
            throw Errors.syscall("ftruncate", Binding.C.errno(), name, "size=" + size);
        }
        int rc = Binding.C.posix_fallocate(file.fd, 0, size);
        if (rc != 0) {
            throw new IpcArcException("posix_fallocate failed: errno=" + Linux.errnoName(rc) + ", name=" + name
                    + ", size=" + size + (rc == Linux.ENOSPC ? " (/dev/shm is full)" : ""), name, rc, Linux.errnoName(rc), null);
        }
        att.expectSize(size);
        MappedMemory memory = MappedMemory.map(file.fd, file.name, size, att);
        try {
            MemoryView h = memory.view();
            SegmentHeader.writeNew(h, size, type, descriptor, payloadOffset, crashAtomic, options.mode());
            if (!CLibrary.NAME.startsWith("glibc ")) {
                // Peers lock these mutexes with glibc's layout; another library's would not match it.
                throw new IpcArcException("this process's C library is not glibc, whose mutexes IpcArc segments use: name="
                        + name + ", library=" + CLibrary.NAME, name);
            }
            ProcessMutex.init(h.addressOf(ADMIN_MUTEX_OFFSET), name);
            ProcessMutex.init(h.addressOf(USER_MUTEX_OFFSET), name);
            int kind = h.getInt(USER_MUTEX_OFFSET + MUTEX_KIND_WORD);
            if (kind != MUTEX_KIND || h.getInt(ADMIN_MUTEX_OFFSET + MUTEX_KIND_WORD) != MUTEX_KIND) {
                throw new IpcArcException("this C library's robust mutexes are not the ones IpcArc checks: name=" + name
                        + ", library=" + CLibrary.NAME + ", kind=" + kind + ", expected=" + MUTEX_KIND, name);
            }
            SegmentHeader.writeMutexes(h, kind, CLibrary.NAME);
            SegmentHeader header = SegmentHeader.read(h);
            if (value != null) {
                type.write(h.slice(header.copyOffset(0), type.size()), 0, value);
            }
            initPayloadLocks(h, header.copyOffset(0), options.payloadLocks(), name);
            h.putLongRelease(MAGIC_OFFSET, MAGIC);
            // Nobody else can see the object as ready yet: no admin lock needed to register.
            new SegmentAdmin(memory, h, file, att, att::checkSize).addHandle();
            if (STALL_BEFORE_READY_MILLIS > 0) {
                System.out.println("STALLING_BEFORE_READY");
                System.out.flush();
                LockSupport.parkNanos(STALL_BEFORE_READY_MILLIS * 1_000_000L);
            }
            h.putIntRelease(STATE_OFFSET, STATE_READY);
            // The flock said "the creator is at work"; the same file stays open for the liveness token.
            file.unlock();
            return new OpenSegment(name, type, memory, h, header, att, true);
        } catch (RuntimeException | Error e) {
            memory.unmapNow();
            throw e;
        }
    }

    /**
     * Initialises the payload's locks, before anyone can load the segment (no other process can
     * hold them yet): each slot's mutex like the header's, and its side words zero.
     */
    private static void initPayloadLocks(MemoryView h, int payload, ArcOptions.PayloadLocks locks, String name) {
        for (int i = 0; i < locks.count(); i++) {
            int slot = payload + locks.offset() + i * PayloadLock.SLOT_BYTES;
            h.setMemory(slot, PayloadLock.SLOT_BYTES, (byte) 0);
            ProcessMutex.init(h.addressOf(slot), name);
            if (h.getInt(slot + MUTEX_KIND_WORD) != MUTEX_KIND) {
                throw new IpcArcException("this C library's robust mutexes are not the ones IpcArc checks: name=" + name
                        + ", payloadLock=" + (locks.offset() + i * PayloadLock.SLOT_BYTES) + ", kind="
                        + h.getInt(slot + MUTEX_KIND_WORD), name);
            }
        }
    }

    /**
     * Loads a segment: open, check it is an IpcArc segment, wait (bounded) for READY, check
     * version, sizes and type, then take a reference under the admin mutex.
     *
     * @param name the normalised name
     * @param type the expected type, or {@code null} to use the stored descriptor
     * @param options the ready timeout
     * @return the segment, with one more reference of this process
     */
    public static OpenSegment load(String name, ShmType<?> type, ArcOptions options) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        for (int attempt = 0; ; attempt++) {
            ShmFile file = ShmFile.open(name, Linux.O_RDWR, 0);
            if (file == null) {
                throw Errors.syscall("shm_open", Binding.C.errno(), name, "flags=O_RDWR");
            }
            Attachment att = null;
            OpenSegment s = null;
            try {
                att = Attachment.join(file, file.inode());
                s = attach(file, att, type, deadline);
                if (s != null) {
                    return s;
                }
            } catch (InternalError e) {
                // HotSpot turns a SIGBUS on mapped memory into this error: the object shrank under us.
                throw truncated(name, e);
            } finally {
                if (att == null || !att.owns(file)) {
                    file.close();
                }
                if (att != null && s == null) {
                    att.leave();
                }
            }
            if (attempt >= MAX_ATTEMPTS || System.nanoTime() - deadline > 0) {
                throw new SegmentNotFoundException("segment not found: it was unlinked while being loaded: name=" + name, name);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @param name the segment
     * @param e the JVM's report of a fault on its mapping
     * @return the exception that reports it
     */
    public static CorruptSegmentException truncated(String name, InternalError e) {
        return new CorruptSegmentException("segment memory is no longer accessible: name=" + name
                + " (the object was truncated by another process)", name, e);
    }

    /**
     * A failure of decoding a consistent payload (a stored enum ordinal out of range, a string
     * that is not UTF-8: another program's bug), with the segment named.
     *
     * @param name the segment
     * @param e what the decoder threw
     * @return {@code e}, or a {@link CorruptSegmentException} naming the segment if it named none
     */
    public static RuntimeException decodeFailed(String name, RuntimeException e) {
        if (e instanceof CorruptSegmentException c && c.segment() == null) {
            return new CorruptSegmentException(c.getMessage() + ", name=" + name, name, c);
        }
        return e;
    }

    /** @return the segment, or {@code null} if it was unlinked meanwhile (try the name again) */
    private static OpenSegment attach(ShmFile file, Attachment att, ShmType<?> type, long deadline) {
        String name = file.name;
        long size = waitForHeader(file, deadline);
        if (att.resizedOrNull() != null) {
            throw att.resizedError(); // this process found the object truncated already
        }
        MappedMemory memory = MappedMemory.map(file.fd, file.name, size, att);
        boolean ok = false;
        try {
            MemoryView h = memory.view();
            if (!waitForReady(file, h, deadline)) {
                checkUnlinkedState(file, att, h);
                return null;
            }
            SegmentHeader header = SegmentHeader.read(h);
            String problem = header.problem(name, size);
            if (problem != null) {
                throw new CorruptSegmentException(problem, name);
            }
            att.expectSize(size);
            String descriptor = header.descriptor(h);
            long fingerprint = h.getLong(FINGERPRINT_OFFSET);
            if (ShmLayout.fingerprint(descriptor) != fingerprint) {
                if (h.getIntAcquire(STATE_OFFSET) == STATE_UNLINKED) {
                    return null; // its last holder just punched out the pages after the first (SegmentHandle)
                }
                throw new CorruptSegmentException("descriptor does not match its fingerprint: name=" + name
                        + ", descriptor=" + descriptor, name);
            }
            ShmType<?> resolved = resolveType(name, type, descriptor, fingerprint, header.payloadSize());
            SegmentAdmin admin = new SegmentAdmin(memory, h, att.file, att, att::checkSize);
            admin.lock();
            try {
                admin.reapDead();
                if (h.getIntAcquire(STATE_OFFSET) != STATE_READY) {
                    return null;
                }
                admin.addHandle();
            } finally {
                admin.unlock();
            }
            ok = true;
            return new OpenSegment(name, resolved, memory, h, header, att, false);
        } finally {
            if (!ok) {
                memory.unmapNow();
            }
        }
    }

    /**
     * The state word says unlinked. True if the name is gone or names another object, or while the
     * last closer (which holds the admin mutex from its mark to its unlink) is at work, or if that
     * closer died there (then the segment is abandoned, and {@code create} replaces it). Otherwise
     * the name still refers to this object, its admin mutex is free and live holders hold it: the
     * word was written by another process, and that is reported as damage, not as "not found".
     */
    private static void checkUnlinkedState(ShmFile file, Attachment att, MemoryView h) {
        String name = file.name;
        if (ShmFile.inodeOfName(name) != att.inode) {
            return;
        }
        RawMemory words = h.headerWords();
        if (!MutexIntegrity.kindIntact(words, ADMIN_MUTEX_OFFSET)) {
            throw MutexIntegrity.kindDamaged(words, ADMIN_MUTEX_OFFSET, name, "admin");
        }
        long admin = h.addressOf(ADMIN_MUTEX_OFFSET);
        int rc = ProcessMutex.tryLock(admin);
        if (rc != 0 && rc != Linux.EOWNERDEAD) {
            return; // the last closer is at work: its unlink comes next
        }
        int live = 0;
        try {
            if (rc == Linux.EOWNERDEAD) {
                ProcessMutex.consistent(admin);
            }
            for (int i = 0; i < HOLDER_SLOTS; i++) {
                if (h.getInt(holderSlotOffset(i) + HOLDER_PID) != 0 && (att.slot == i || HolderLocks.isHeld(file.fd, i))) {
                    live++;
                }
            }
        } finally {
            ProcessMutex.unlock(admin);
        }
        if (live > 0 && ShmFile.inodeOfName(name) == att.inode) {
            throw new CorruptSegmentException("bad state in header: name=" + name + ", state=" + stateName(STATE_UNLINKED)
                    + ", liveHolders=" + live + " (the word says unlinked, but the name still refers to the segment and live"
                    + " processes hold it: another process wrote the header; new loads are refused)", name);
        }
    }

    /**
     * The check every slow path makes before it touches the mapping: the object must still be as
     * large as its header says, or the access would be a SIGBUS (fatal inside a pthread call).
     *
     * @param file a descriptor of the object
     * @param expected the size in its header
     * @throws CorruptSegmentException if it shrank or grew
     */
    static void checkSize(ShmFile file, long expected) {
        long size = file.size();
        if (size != expected) {
            throw new CorruptSegmentException("object size does not match its header: name=" + file.name + ", size=" + size
                    + ", header=" + expected + " (truncated or resized by another process)", file.name);
        }
    }

    private static ShmType<?> resolveType(String name, ShmType<?> type, String descriptor, long fingerprint, int payloadSize) {
        if (type != null) {
            if (type.fingerprint() != fingerprint || !type.descriptor().equals(descriptor)) {
                throw new TypeMismatchException("type mismatch: name=" + name + ", "
                        + ShmLayout.difference(type.layout(), descriptor), name, type.descriptor(), descriptor);
            }
            if (type.size() != payloadSize) {
                throw new CorruptSegmentException("payload size does not match its type: name=" + name + ", payloadSize="
                        + payloadSize + ", typeSize=" + type.size(), name);
            }
            return type;
        }
        ShmType<?> found;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            found = ShmType.forDescriptor(descriptor, loader != null ? loader : SegmentOpener.class.getClassLoader());
        } catch (TypeMismatchException e) {
            throw new TypeMismatchException(e.getMessage() + ", name=" + name, name, e);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException("unreadable descriptor: name=" + name + ", cause=" + e.getMessage(), name, e);
        }
        if (found.size() != payloadSize) {
            throw new CorruptSegmentException("payload size does not match its type: name=" + name + ", payloadSize="
                    + payloadSize + ", typeSize=" + found.size(), name);
        }
        return found;
    }

    /** Waits until the object is at least a header long, or decides it is foreign or abandoned. */
    private static long waitForHeader(ShmFile file, long deadline) {
        while (true) {
            long size = file.size();
            if (size >= PAGE) {
                if (size > MAX_SEGMENT_BYTES) {
                    throw new CorruptSegmentException("not an IpcArc segment: object too large: name=" + file.name
                            + ", size=" + size + ", max=" + MAX_SEGMENT_BYTES, file.name);
                }
                return size;
            }
            if (size > 0) {
                throw new CorruptSegmentException("not an IpcArc segment: object too small: name=" + file.name
                        + ", size=" + size + ", min=" + PAGE + " (foreign or truncated file)", file.name);
            }
            // Empty: a creator between shm_open and ftruncate, or one that died there.
            if (!file.creatorActive() && file.ageMillis() > ABANDONED_AFTER_MILLIS || System.nanoTime() - deadline > 0) {
                throw new CorruptSegmentException("not an IpcArc segment: empty object: name=" + file.name
                        + ", size=0 (foreign file, or its creator died before sizing it)", file.name);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * @return true when READY, false when UNLINKED; throws when foreign, abandoned or too slow.
     *     The creator's flock is the kernel-kept sign that it is alive and still at work.
     */
    private static boolean waitForReady(ShmFile file, MemoryView h, long deadline) {
        String name = file.name;
        while (true) {
            long magic = h.getLongAcquire(MAGIC_OFFSET);
            if (magic != MAGIC && magic != 0) {
                throw new CorruptSegmentException("not an IpcArc segment: bad magic: name=" + name + ", magic=0x"
                        + Long.toHexString(magic) + ", expected=0x" + Long.toHexString(MAGIC) + " (foreign file)", name);
            }
            int version = h.getInt(VERSION_OFFSET);
            if (magic == MAGIC && version != LAYOUT_VERSION) {
                throw new CorruptSegmentException("unsupported layout version: name=" + name + ", version=" + version
                        + ", supported=" + LAYOUT_VERSION
                        + (version == 1 ? " (made by an older IpcArc: close its holders and create it again)" : ""), name);
            }
            int state = h.getIntAcquire(STATE_OFFSET);
            if (magic == MAGIC && state == STATE_READY) {
                return true;
            }
            if (magic == MAGIC && state == STATE_UNLINKED) {
                return false;
            }
            if (magic == MAGIC && state != STATE_INITIALIZING) {
                throw new CorruptSegmentException("bad state in header: name=" + name + ", state=" + state, name);
            }
            if (!file.creatorActive()) {
                // The creator writes the magic only after taking its flock, and drops the flock
                // only after READY: magic, no flock, still initializing = the creator died.
                boolean creatorGone = magic == MAGIC || file.ageMillis() > ABANDONED_AFTER_MILLIS;
                if (creatorGone && h.getIntAcquire(STATE_OFFSET) == STATE_INITIALIZING) {
                    throw new CorruptSegmentException("creator died before the segment was ready: name=" + name
                            + ", creatorPid=" + h.getInt(CREATOR_PID_OFFSET) + " (openOrCreate or create will replace it)", name);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CorruptSegmentException("segment not ready in time: name=" + name + ", state="
                        + stateName(state) + ", creatorPid=" + h.getInt(CREATOR_PID_OFFSET), name);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Unlinks the object under {@code name} if it is a segment that can never become usable: its
     * creator died before READY, or its last closer died between marking it UNLINKED and
     * unlinking it. Foreign files and live segments (orphans included) are never touched.
     *
     * @param name the normalised name
     * @return true if the name is free now (removed here or by someone else)
     */
    public static boolean removeIfAbandoned(String name) {
        ShmFile file = ShmFile.open(name, Linux.O_RDWR, 0);
        if (file == null) {
            return Binding.C.errno() == Linux.ENOENT;
        }
        try (file) {
            if (!file.tryLockExclusive()) {
                return false; // its creator is at work
            }
            long size = file.size();
            long ino = file.inode();
            String why;
            if (size == 0) {
                if (file.ageMillis() <= ABANDONED_AFTER_MILLIS) {
                    return false;
                }
                why = "empty object left by a creator that died";
            } else if (size < PAGE) {
                return false;
            } else {
                MappedMemory memory = MappedMemory.map(file.fd, file.name, PAGE, null);
                try {
                    MemoryView h = memory.view();
                    long magic = h.getLongAcquire(MAGIC_OFFSET);
                    int state = h.getIntAcquire(STATE_OFFSET);
                    if (magic == MAGIC && state == STATE_INITIALIZING) {
                        // We hold the flock the creator held until READY: it is dead.
                        why = "creator died before the segment was ready: creatorPid=" + h.getInt(CREATOR_PID_OFFSET);
                    } else if (magic == 0 && state == 0) {
                        if (file.ageMillis() <= ABANDONED_AFTER_MILLIS) {
                            return false;
                        }
                        why = "header never written: creator died";
                    } else if (magic == MAGIC && state == STATE_UNLINKED && h.getInt(VERSION_OFFSET) == LAYOUT_VERSION) {
                        return removeUnlinked(name, ino, h);
                    } else {
                        return false;
                    }
                } catch (InternalError e) {
                    return false; // shrank under us: not ours to judge
                } finally {
                    memory.unmapNow();
                }
            }
            boolean removed = unlinkSame(name, ino);
            if (removed) {
                LOG.log(System.Logger.Level.INFO, "removed an abandoned segment: name={0}, reason={1}", name, why);
            }
            return removed;
        }
    }

    /** The last closer unlinks under the admin mutex: busy means it is doing so now. */
    private static boolean removeUnlinked(String name, long ino, MemoryView h) {
        try {
            MutexIntegrity.checkKind(h.headerWords(), ADMIN_MUTEX_OFFSET, name, "admin");
        } catch (CorruptSegmentException e) {
            return false;
        }
        long admin = h.addressOf(ADMIN_MUTEX_OFFSET);
        int rc = ProcessMutex.tryLock(admin);
        if (rc != 0 && rc != Linux.EOWNERDEAD) {
            return true;
        }
        if (rc == Linux.EOWNERDEAD) {
            ProcessMutex.consistent(admin);
        }
        try {
            boolean removed = unlinkSame(name, ino);
            if (removed) {
                LOG.log(System.Logger.Level.INFO, "removed a segment whose last closer died before unlinking it: name={0}", name);
            }
            return removed || ShmFile.inodeOfName(name) != ino;
        } finally {
            ProcessMutex.unlock(admin);
        }
    }

    private static boolean unlinkSame(String name, long ino) {
        if (ShmFile.inodeOfName(name) != ino) {
            return false;
        }
        return Binding.C.shm_unlink(name) == 0 || Binding.C.errno() == Linux.ENOENT;
    }

    private static String describeExisting(String name) {
        ShmFile file = ShmFile.open(name, Linux.O_RDWR, 0);
        if (file == null) {
            return ", open=" + Linux.errnoName(Binding.C.errno());
        }
        try (file) {
            long size = file.size();
            if (size < PAGE) {
                return ", kind=foreign, size=" + size;
            }
            MappedMemory memory = MappedMemory.map(file.fd, file.name, PAGE, null);
            try {
                MemoryView h = memory.view();
                if (h.getLongAcquire(MAGIC_OFFSET) != MAGIC) {
                    return ", kind=foreign, size=" + size;
                }
                return ", state=" + stateName(h.getIntAcquire(STATE_OFFSET)) + ", version=" + h.getInt(VERSION_OFFSET)
                        + ", refCount=" + h.getLongAcquire(REFCOUNT_OFFSET);
            } catch (InternalError e) {
                return ", kind=truncated";
            } finally {
                memory.unmapNow();
            }
        }
    }
}
