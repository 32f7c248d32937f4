package io.ipcarc.posix.lock;

import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scratch;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;

/**
 * Process-shared futex wait and wake on a 32-bit word in a shared mapping (no
 * FUTEX_PRIVATE_FLAG, so the kernel keys the wait on the page, not the address space).
 */
public final class Futex {
    private static final ThreadLocal<MemoryView> TIMESPEC = ThreadLocal.withInitial(() -> Scratch.of(Linux.TIMESPEC_BYTES));

    private Futex() {
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, at most {@code timeoutNanos}.
     *
     * @param address absolute address of a 4-aligned word (see {@link MemoryView#wordAddress})
     * @param expected the value to sleep on
     * @param timeoutNanos the longest sleep
     * @return 0 when woken, or EAGAIN (the word differed), ETIMEDOUT or EINTR
     */
    public static int await(long address, int expected, long timeoutNanos) {
        MemoryView ts = TIMESPEC.get();
        long t = Math.max(0, timeoutNanos);
        ts.putLong(0, t / 1_000_000_000L);
        ts.putLong(8, t % 1_000_000_000L);
        long r = Binding.C.futex(address, Linux.FUTEX_WAIT, expected, ts.addressOf(0));
        return r == 0 ? 0 : Binding.C.errno();
    }

    /**
     * Wakes every process and thread sleeping on the word at {@code address}.
     *
     * @param address absolute address of a 4-aligned word
     * @return how many were woken
     */
    public static int wakeAll(long address) {
        long r = Binding.C.futex(address, Linux.FUTEX_WAKE, Integer.MAX_VALUE, 0);
        return r < 0 ? 0 : (int) r;
    }
}
