package io.ipcarc;

import java.util.ArrayList;
import java.util.List;

/**
 * Operations on all IpcArc segments of the host, for administration tools: list them, inspect
 * one, find orphans and remove segments safely.
 *
 * <pre>{@code
 * for (SegmentInfo s : IpcArcs.list()) {
 *     System.out.println(s.name() + " " + s.descriptor() + " holders=" + s.liveHolders().size()
 *             + " lock=" + s.lock().describe());
 * }
 * }</pre>
 *
 * <p>Listing and inspecting are read-only: they take no lock, write no byte and never change a
 * file, also not a foreign one. Files that are not IpcArc segments are reported only when asked
 * for ({@link #list(boolean)}) and are never modified or removed by any method here.
 */
public final class IpcArcs {

    private IpcArcs() {
    }

    /**
     * Lists the IpcArc segments of the host, sorted by name.
     *
     * @return one entry per segment; foreign files are left out
     */
    public static List<SegmentInfo> list() {
        return list(false);
    }

    /**
     * Lists the IpcArc segments and, if asked, the other files of the shared-memory directory.
     *
     * @param includeForeign whether to report foreign and unreadable files too
     * @return one entry per file, sorted by name
     */
    public static List<SegmentInfo> list(boolean includeForeign) {
        return ProviderHolder.provider().list(includeForeign);
    }

    /**
     * Inspects one name, read-only.
     *
     * @param name {@code "counter"} or {@code "/counter"}
     * @return what is there: a segment, a foreign file or an unreadable one
     * @throws SegmentNotFoundException if nothing has that name
     */
    public static SegmentInfo inspect(String name) {
        return ProviderHolder.provider().inspect(SegmentNames.normalize(name));
    }

    /**
     * The orphans ({@link SegmentInfo#isOrphan()}): ready segments whose holders are all dead,
     * and segments abandoned by a creator or a last closer that died half-way. Segments their
     * last close kept on purpose ({@link SegmentInfo#isRetained()}) are not orphans.
     *
     * @return the orphans, sorted by name
     */
    public static List<SegmentInfo> orphans() {
        return orphans("/");
    }

    /**
     * The orphans whose names start with a prefix, so that one application can clean up its
     * own segments only.
     *
     * @param namePrefix for example {@code "/myapp-"}; {@code "/"} for all
     * @return the orphans, sorted by name
     */
    public static List<SegmentInfo> orphans(String namePrefix) {
        java.util.Objects.requireNonNull(namePrefix, "namePrefix");
        return list(false).stream().filter(s -> s.name().startsWith(namePrefix)).filter(SegmentInfo::isOrphan).toList();
    }

    /**
     * Removes every orphan that is still an orphan when it is removed; a segment that gained a
     * live holder meanwhile, or that a process adopted and its last close kept
     * ({@link SegmentInfo#isRetained()}), is left alone. Retained segments are never removed here:
     * {@link #remove(SegmentInfo, boolean)} removes one.
     *
     * @return the orphans that were removed
     */
    public static List<SegmentInfo> removeOrphans() {
        return removeOrphans("/");
    }

    /**
     * Removes the orphans whose names start with a prefix, as {@link #removeOrphans()} does.
     *
     * @param namePrefix for example {@code "/myapp-"}; {@code "/"} for all
     * @return the orphans that were removed
     */
    public static List<SegmentInfo> removeOrphans(String namePrefix) {
        List<SegmentInfo> removed = new ArrayList<>();
        for (SegmentInfo s : orphans(namePrefix)) {
            try {
                if (remove(s, false) == Removal.REMOVED) {
                    removed.add(s);
                }
            } catch (SegmentInUseException e) {
                // adopted by a process since it was listed: not an orphan any more
            }
        }
        return removed;
    }

    /**
     * Unlinks an inspected segment's name, but only if the name still refers to the object
     * that was inspected (same inode), and, unless {@code force}, only if no live process holds
     * it (checked again under the segment's admin lock). The segment is marked unlinked first, so
     * a process loading it concurrently retries instead of attaching to a removed segment. A
     * {@linkplain SegmentInfo#isRetained() retained} segment has no live holder and is removed.
     * An orphan that was adopted and then kept by its last close since it was inspected is not
     * removed unless {@code force}: it was inspected as abandoned, and is now kept on purpose.
     *
     * @param segment what {@link #inspect(String)} or {@link #list()} returned
     * @param force remove even while processes hold it (they keep their mapping until they close)
     * @return what happened
     * @throws SegmentInUseException if live processes hold it, or it was inspected as an orphan
     *     and has been retained since, and {@code force} is false
     * @throws IpcArcException if it is not an IpcArc segment, or a system call failed (such as EACCES)
     */
    public static Removal remove(SegmentInfo segment, boolean force) {
        java.util.Objects.requireNonNull(segment, "segment");
        if (segment.kind() != SegmentInfo.Kind.SEGMENT) {
            throw new IpcArcException("not an IpcArc segment, never removed: name=" + segment.name() + ", kind="
                    + segment.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + (segment.problem() == null ? "" : ", problem=" + segment.problem()), segment.name());
        }
        return ProviderHolder.provider().remove(segment, force);
    }
}
