package io.ipcarc.posix.memory;

import io.ipcarc.posix.sys.RawMemory;

/**
 * Whose mapping a {@link MappedMemory} is: the process's attachment to the segment's object (in
 * the segment layer), which knows the object's size and what a truncation means for it. The
 * mapping tells it when it is made and given up, asks it what to report when the segment is
 * damaged or an access faulted, and lets it write into a replaced first page what the segment
 * layer keeps there (the robust-list nodes of held mutexes).
 */
public interface MappingOwner {
    /**
     * A mapping of the object was made.
     *
     * @param m the mapping
     */
    void register(MappedMemory m);

    /**
     * A mapping of the object is no longer used by a handle.
     *
     * @param m the mapping
     */
    void unregister(MappedMemory m);

    /**
     * Returns what every use of a damaged mapping throws.
     *
     * @return the exception
     */
    RuntimeException resizedError();

    /**
     * An access to a mapping faulted: finds out why and reports it.
     *
     * @param e the JVM's report
     * @return the exception to throw
     */
    RuntimeException faulted(InternalError e);

    /**
     * The first page of {@code m} was replaced by a private zero page after a truncation: writes
     * into it what threads of this process still reference there.
     *
     * @param m the mapping
     * @param raw its memory
     * @return whether something was written that a thread may still reference (the mapping is
     *     then kept for the life of the process)
     */
    boolean firstPageReplaced(MappedMemory m, RawMemory raw);
}
