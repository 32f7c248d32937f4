package io.ipcarc.ring;

/** What one attempt of a reader or a writer to sleep in the kernel did. */
enum SleepOutcome {
    /** What it waited for came while it prepared: it did not sleep. */
    NOT_NEEDED,
    /** It slept and the futex word changed (or it was woken, or woke spuriously). */
    WOKEN,
    /** It slept until the timeout. */
    TIMED_OUT
}
