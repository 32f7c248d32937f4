package io.ipcarc;

import java.time.Instant;
import java.util.List;

/**
 * What a read-only inspection found under one name in the shared-memory directory. Produced
 * by {@link IpcArcs}; inspecting takes no lock and writes nothing, so the values are a
 * snapshot that may be torn while a writer is active.
 *
 * @param name the name with its leading slash, such as {@code /counter}
 * @param kind an IpcArc segment, a foreign file, or a file this process may not read
 * @param problem why the file is foreign or unreadable (for example {@code errno=EACCES}), or
 *     {@code null} for a healthy segment
 * @param inode the file's inode number, which {@link IpcArcs#remove(SegmentInfo, boolean)}
 *     checks again before unlinking
 * @param fileSize the size of the object in bytes
 * @param fileMode the permission bits of the object, such as {@code 0600}
 * @param ownerUid the owning user id
 * @param ownerGid the owning group id
 * @param state {@code ready}, {@code initializing}, {@code unlinked} or {@code unknown(N)}; {@code null} if foreign
 * @param descriptor the stored type descriptor, or {@code null}
 * @param payloadSize payload bytes (of one copy), 0 if foreign
 * @param payloadMode {@code crash-atomic} or {@code raw}; {@code null} if foreign
 * @param creatorPid the pid of the creating process, 0 if foreign
 * @param creatorAlive whether the creating process is still at work on a segment that is not ready
 *     (it holds the object's flock); for a ready segment, whether its pid still names a process
 * @param created when the segment was created, or {@code null}
 * @param refCount the reference count word (the sum of the holders' handles)
 * @param holders every occupied slot of the holder table, live and dead (an unmodifiable list)
 * @param lock the state of the user lock
 * @param payload the payload decoded from the descriptor alone, such as {@code Point{x=1, y=2.5}},
 *     or {@code null}
 * @param payloadTree the same value as plain data for JSON ({@link ShmLayout#toTree}: for example a
 *     {@code Map} {@code {x=1, y=2.5}}), or {@code null} when {@code payload} is
 */
public record SegmentInfo(String name, Kind kind, String problem, long inode, long fileSize, int fileMode, int ownerUid,
                          int ownerGid, String state, String descriptor, int payloadSize, String payloadMode, int creatorPid,
                          boolean creatorAlive, Instant created, long refCount, List<HolderInfo> holders, LockInfo lock,
                          String payload, Object payloadTree) {

    /** What kind of file was found. */
    public enum Kind {
        /** An IpcArc segment with a readable, consistent header. */
        SEGMENT,
        /** Not an IpcArc segment (no magic, too small, inconsistent header); never modified by IpcArc tools. */
        FOREIGN,
        /** A file this process cannot open for reading. */
        UNREADABLE
    }

    /**
     * The holders whose process still runs.
     *
     * @return the holders that are still running
     */
    public List<HolderInfo> liveHolders() {
        return holders.stream().filter(HolderInfo::alive).toList();
    }

    /**
     * The holders whose process is gone.
     *
     * @return the holders recorded in the table that are no longer running (killed without closing)
     */
    public List<HolderInfo> deadHolders() {
        return holders.stream().filter(h -> !h.alive()).toList();
    }

    /**
     * A segment kept on purpose by its last close ({@link IpcArc#retainOnLastClose}): ready, with
     * refcount 0 and no holder at all in its table, live or dead (the last closer reaped the dead
     * ones and removed itself). It stays until a load adopts it or someone removes it
     * ({@link IpcArcs#remove}); {@link IpcArcs#removeOrphans()} leaves it.
     *
     * <p>A process killed in the instant between removing itself from the table and marking the
     * segment unlinked (its last close), or between reaping the dead holders of an orphan and
     * registering itself (a load), leaves the same picture, so it is reported as retained too: the
     * next load adopts it, {@code ipcarc rm} removes it.
     *
     * @return whether this is such a segment
     */
    public boolean isRetained() {
        return kind == Kind.SEGMENT && "ready".equals(state) && refCount == 0 && holders.isEmpty();
    }

    /**
     * An orphan is a segment nobody will ever close:
     * <ul>
     * <li>a ready segment whose holders are all dead; it stays until someone loads it again (and
     *     adopts it) or removes it. A ready segment with no holder at all is not an orphan but
     *     {@linkplain #isRetained() retained};</li>
     * <li>a segment whose creator died before it was ready (state {@code initializing}); no load
     *     can use it, and the next create or openOrCreate of the name replaces it;</li>
     * <li>a segment marked {@code unlinked} whose name is still there: its last closer died
     *     between marking it and unlinking the name.</li>
     * </ul>
     * A creator killed before it wrote the header leaves a file without the IpcArc magic; that is
     * {@link Kind#FOREIGN}, never an orphan, and only create or {@code rm} of that name removes it.
     *
     * @return whether this is an IpcArc segment in one of those states
     */
    public boolean isOrphan() {
        if (kind != Kind.SEGMENT || state == null) {
            return false;
        }
        return switch (state) {
            case "ready" -> liveHolders().isEmpty() && !isRetained();
            case "unlinked" -> liveHolders().isEmpty();
            case "initializing" -> !creatorAlive;
            default -> false;
        };
    }
}
