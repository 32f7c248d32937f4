package io.ipcarc.ring;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How a ring reader (or a lossless writer) waits when there is nothing to do.
 * {@link #idle(int)} is called with the number of consecutive idle rounds so far, and the
 * count starts again at 0 after progress.
 */
public enum WaitStrategy {
    /** Burn a core: lowest latency, 100% CPU. */
    SPIN {
        @Override
        public void idle(int rounds) {
            Thread.onSpinWait();
        }
    },
    /** Give the core away on every round: low latency, high CPU. */
    YIELD {
        @Override
        public void idle(int rounds) {
            Thread.yield();
        }
    },
    /** Sleep 1 ms between polls, like the original seed system: low CPU, ~1 ms latency. */
    SLEEP {
        @Override
        public void idle(int rounds) {
            LockSupport.parkNanos(1_000_000L);
        }
    },
    /**
     * Sleep in the kernel (process-shared futex) until the other side acts: a reader until the
     * writer publishes ({@link RingReader#idle(WaitStrategy, int)}), a lossless writer until a
     * reader commits ({@link RingWriter#idle(WaitStrategy, int)}). No CPU while idle, woken
     * within microseconds. Elsewhere it behaves like {@link #BACKOFF}.
     */
    BLOCK {
        @Override
        public void idle(int rounds) {
            BACKOFF.idle(rounds);
        }
    },
    /** Spin briefly, then yield, then sleep for growing periods up to 1 ms. */
    BACKOFF {
        @Override
        public void idle(int rounds) {
            if (rounds < 256) {
                Thread.onSpinWait();
            } else if (rounds < 320) {
                Thread.yield();
            } else {
                int shift = Math.min(rounds - 320, 10);
                LockSupport.parkNanos(Math.min(1_000_000L, 1_000L << shift));
            }
        }
    };

    /**
     * Waits a little.
     *
     * @param rounds consecutive idle rounds before this one
     */
    public abstract void idle(int rounds);

    /**
     * Returns the strategy.
     *
     * @param text {@code spin}, {@code yield}, {@code sleep}, {@code backoff} or {@code block}
     * @return the strategy
     * @throws IllegalArgumentException for other text
     */
    public static WaitStrategy parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown wait strategy: " + text + " (use spin, yield, sleep, backoff or block)", e);
        }
    }
}
