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
 * @param payloadSize payload bytes, 0 if foreign
 * @param creatorPid the pid of the creating process, 0 if foreign
 * @param creatorAlive whether the creating process (pid and start time) is still running
 * @param created when the segment was created, or {@code null}
 * @param refCount the reference count word (the sum of the holders' handles)
 * @param holders every occupied slot of the holder table, live and dead (an unmodifiable list)
 * @param lock the state of the user lock
 * @param payload the payload decoded from the descriptor alone, such as {@code Point{x=1, y=2.5}},
 *     or {@code null}
 */
public record SegmentInfo(String name, Kind kind, String problem, long inode, long fileSize, int fileMode, int ownerUid,
                          int ownerGid, String state, String descriptor, int payloadSize, int creatorPid,
                          boolean creatorAlive, Instant created, long refCount, List<HolderInfo> holders, LockInfo lock,
                          String payload) {

    /** What kind of file was found. */
    public enum Kind {
        /** An IpcArc segment with a readable, consistent header. */
        SEGMENT,
        /** Not an IpcArc segment (no magic, too small, inconsistent header); never modified by IpcArc tools. */
        FOREIGN,
        /** A file this process cannot open for reading. */
        UNREADABLE
    }

    /** @return the holders that are still running */
    public List<HolderInfo> liveHolders() {
        return holders.stream().filter(HolderInfo::alive).toList();
    }

    /** @return the holders recorded in the table that are no longer running (killed without closing) */
    public List<HolderInfo> deadHolders() {
        return holders.stream().filter(h -> !h.alive()).toList();
    }

    /**
     * An orphan is a ready segment whose holders are all dead: nobody will ever close it, so it
     * stays until someone loads it again (and adopts it) or removes it.
     *
     * @return whether this is a ready IpcArc segment without a live holder
     */
    public boolean isOrphan() {
        return kind == Kind.SEGMENT && "ready".equals(state) && liveHolders().isEmpty();
    }
}
