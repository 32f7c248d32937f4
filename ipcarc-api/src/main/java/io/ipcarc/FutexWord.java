package io.ipcarc;

/**
 * A 32-bit word of a raw payload on which threads of any process sleep until another thread
 * wakes them: a process-shared futex. Lock-free structures built in a payload (such as a ring)
 * use it to wait without spinning.
 *
 * <pre>{@code
 * try (IpcArc<byte[]> arc = IpcArc.load("/events", ShmType.bytes(64))) {
 *     FutexWord word = arc.futexWord(0);
 *     int seen = arc.buffer().getIntAcquire(0);
 *     word.await(seen, 100_000_000L);   // until another process stores a new value and calls wakeAll
 * }
 * }</pre>
 *
 * <p>Waiters re-check their condition in a loop: {@link #await} also returns when the word
 * already differs, on timeout and spuriously. Waking is a system call; callers keep a count of
 * sleepers and skip it when there are none. Valid while its {@link IpcArc} is open.
 */
public interface FutexWord {

    /**
     * Sleeps, without using CPU, while the word equals {@code expected}.
     *
     * @param expected the value to sleep on
     * @param timeoutNanos the longest sleep, at least 0
     * @return false if the timeout expired, true otherwise (woken, the word differed, or a spurious wake-up)
     */
    boolean await(int expected, long timeoutNanos);

    /**
     * Wakes every thread of every process sleeping in {@link #await} on this word.
     *
     * @return how many sleepers were woken
     */
    int wakeAll();
}
