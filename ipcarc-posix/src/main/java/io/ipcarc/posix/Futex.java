package io.ipcarc.posix;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Process-shared futex wait and wake on a 32-bit word in a shared mapping (no
 * FUTEX_PRIVATE_FLAG, so the kernel keys the wait on the page, not the address space).
 */
final class Futex {
    private static final ThreadLocal<Pointer> TIMESPEC = ThreadLocal.withInitial(() -> Memory.allocateDirect(Native.RUNTIME, 16));

    private Futex() {
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, at most {@code timeoutNanos}.
     *
     * @return 0 when woken, or EAGAIN (the word differed), ETIMEDOUT or EINTR
     */
    static int await(long address, int expected, long timeoutNanos) {
        Pointer ts = TIMESPEC.get();
        ts.putLong(0, timeoutNanos / 1_000_000_000L);
        ts.putLong(8, timeoutNanos % 1_000_000_000L);
        long r = Native.LIBC.syscall(Native.SYS_FUTEX, address, Native.FUTEX_WAIT, expected, ts, 0, 0);
        return r == 0 ? 0 : Native.lastErrno();
    }

    /**
     * Wakes every process and thread sleeping on the word at {@code address}.
     *
     * @return how many were woken
     */
    static int wakeAll(long address) {
        long r = Native.LIBC.syscall(Native.SYS_FUTEX, address, Native.FUTEX_WAKE, Integer.MAX_VALUE, null, 0, 0);
        return r < 0 ? 0 : (int) r;
    }
}
