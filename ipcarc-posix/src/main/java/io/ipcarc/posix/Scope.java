package io.ipcarc.posix;

/** What decides whether a {@link MemoryView} may still be used. */
interface Scope {
    /** @return true while accesses are allowed */
    boolean alive();

    /** @return the exception to throw when they are not */
    IllegalStateException closedError();
}
