package io.ipcarc.map;

/**
 * The instants between the shared stores of every write, repair and allocator step, named so
 * that the crash tests can end a process exactly there: started with
 * {@code -Dipcarc.map.crashAt=NAME} (or {@code NAME:N} for the N-th time), a JVM halts at once
 * when it reaches that point (as a SIGKILL would end it: no shutdown hook, no unlock; the kernel
 * marks the locks it held owner-dead). Without the property, {@link #reach()} compares with a
 * constant {@code null} and compiles to nothing.
 */
enum CrashPoint {
    /** Insert: the new entry written, nothing journaled. */
    INSERT_ENTRY_WRITTEN,
    /** Insert: journaled. */
    INSERT_JOURNALED,
    /** Insert: the entry live, not yet named by the index. */
    INSERT_LIVE,
    /** Insert: committed (the index word stored), the count not yet raised. */
    INSERT_COMMITTED,
    /** Insert: counted, the journal still open. */
    INSERT_COUNTED,
    /** Update: the spare written, nothing journaled. */
    UPDATE_SPARE_WRITTEN,
    /** Update: journaled. */
    UPDATE_JOURNALED,
    /** Update: the spare live, not yet named by the index. */
    UPDATE_LIVE,
    /** Update: committed (the index names the new entry), the old one still live. */
    UPDATE_COMMITTED,
    /** Update: the old entry held, not yet the stripe's spare. */
    UPDATE_OLD_HELD,
    /** Remove: journaled. */
    REMOVE_JOURNALED,
    /** Remove: a word moved into the hole, the journal's hole not yet moved on (the word is there twice). */
    REMOVE_MOVED,
    /** Remove: the journal's hole moved on. */
    REMOVE_HOLE_MOVED,
    /** Remove: the last hole emptied, the count not yet lowered. */
    REMOVE_SHIFTED,
    /** Remove: counted, the entry not yet given back. */
    REMOVE_COUNTED,
    /** Allocator pop: journaled. */
    POP_JOURNALED,
    /** Allocator pop: the stripe's pending word set, the entry still on the list. */
    POP_PENDING,
    /** Allocator pop: the entry off the list, the journal still open. */
    POP_TAKEN,
    /** Allocator push: journaled. */
    PUSH_JOURNALED,
    /** Allocator push: the entry on the list, the stripe's journal not yet closed. */
    PUSH_LINKED,
    /** Allocator push: the stripe's journal closed, the allocator's still open. */
    PUSH_RELEASED,
    /** A repair: its shift done, the stripe's journal still open. */
    REPAIR_SHIFTED,
    /** A repair: done, the stripe's journal still open. */
    REPAIR_DONE;

    /** The exit status of a halt at a crash point (as a shell reports SIGKILL). */
    static final int EXIT_STATUS = 137;

    private static final CrashPoint TARGET;
    private static final int NTH;
    private static int reached;

    static {
        String spec = System.getProperty("ipcarc.map.crashAt");
        if (spec == null || spec.isEmpty()) {
            TARGET = null;
            NTH = 0;
        } else {
            int colon = spec.indexOf(':');
            TARGET = valueOf(colon < 0 ? spec : spec.substring(0, colon));
            NTH = colon < 0 ? 1 : Integer.parseInt(spec.substring(colon + 1));
        }
    }

    /** Halts the JVM if this is the point it was started to crash at (the N-th time it is reached). */
    void reach() {
        if (this == TARGET) {
            crash();
        }
    }

    private void crash() {
        synchronized (CrashPoint.class) {
            if (++reached < NTH) {
                return;
            }
        }
        System.out.println("CRASH " + name());
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_STATUS);
    }
}
