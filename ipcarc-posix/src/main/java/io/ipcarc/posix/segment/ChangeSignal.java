package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.HOLDER_WAITERS;
import static io.ipcarc.posix.segment.SegmentDescriptor.SEQUENCE_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.WAITERS_OFFSET;
import static io.ipcarc.posix.segment.SegmentDescriptor.holderSlotOffset;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scope;
import io.ipcarc.posix.lock.Futex;

/**
 * Waiting for the value of a segment to change, and waking those who wait: the protocol behind
 * {@code IpcArc.version()} and {@code IpcArc.awaitChange}. docs/design.md describes it.
 *
 * <p>The version is the seqlock word ({@link Seqlock}) with its low bit cleared: it grows by 2
 * each time a guard is released. A waiter sleeps with FUTEX_WAIT (process-shared) on the low 32
 * bits of that word, after counting itself in {@link SegmentDescriptor#WAITERS_OFFSET}. A
 * releasing guard, after its unlock, loads that count and makes the FUTEX_WAKE system call only
 * when it is not zero, so writers pay one load when nobody waits.
 *
 * <p>The two sides form a Dekker pair: the waiter increments the count (a locked RMW, a full
 * barrier) and then checks the word; the releaser stores the word, unlocks, and then loads the
 * count. The unlock of glibc's robust mutex is an atomic exchange, which on x86-64 is a full
 * barrier; on other architectures a {@link VarHandle#fullFence()} provides it. Either way one
 * side always sees the other, so no wake-up is lost. Sleeps are also bounded by
 * {@link #SLICE_NANOS}, so a releaser that dies between its unlock and its wake delays a waiter
 * by at most one slice, and interrupts are noticed within one.
 *
 * <p>Each process also counts its sleepers in its holder slot ({@link SegmentDescriptor#HOLDER_WAITERS});
 * when a dead holder is reaped, its count is taken off the total, so a waiter killed in its sleep
 * does not make every later release pay for a wake.
 */
public final class ChangeSignal {
    /** Longest single futex sleep. */
    static final long SLICE_NANOS = 50_000_000L;
    /** Polls of the word before sleeping: a change that is about to come costs no system call. */
    static final int SPINS = 200;
    private static final boolean UNLOCK_IS_FULL_BARRIER = isX86();

    private final MemoryView header;
    private final Attachment self;
    /** The handle's mapping: the wait ends as soon as the segment is found truncated. */
    private final Scope handle;
    private final AtomicLong wakeups = new AtomicLong();

    ChangeSignal(MemoryView header, Attachment self, Scope handle) {
        this.header = header;
        this.self = self;
        this.handle = handle;
    }

    /** Throws if the handle is closed or its segment was found truncated: the words below are not the segment's then. */
    private void checkUsable() {
        if (!handle.alive()) {
            throw handle.closedError();
        }
    }

    /** @return the threads of all processes counted as asleep (or about to sleep) in a wait for a change now */
    public int waiters() {
        return Math.max(0, header.getIntAcquire(WAITERS_OFFSET));
    }

    /** @return the current version: the sequence word, even, rounded down while a writer is active */
    public long version() {
        return header.getLongAcquire(SEQUENCE_OFFSET) & ~1L;
    }

    /**
     * Waits until the version differs from {@code version}.
     *
     * @param version a version the caller has seen
     * @param nanos the longest wait
     * @return the new version, or {@code version} if it did not change in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long await(long version, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        int spins = 0;
        while (true) {
            checkUsable();
            long word = header.getLongAcquire(SEQUENCE_OFFSET);
            if ((word & ~1L) != version) {
                return word & ~1L;
            }
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
                continue;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while awaiting a change: name=" + self.name
                        + ", version=" + version);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return version;
            }
            sleep(word, Math.min(left, SLICE_NANOS));
        }
    }

    /**
     * Counts this thread as a waiter, sleeps while the word still holds {@code word}, and counts it
     * out: the step of {@link #await} after its spinning, public for the stress test of the waiter
     * count (through {@code io.ipcarc.posix.probe}), which must reach it without the spin before it.
     *
     * @param word the sequence word the caller loaded; the sleep ends at once unless it still holds it
     * @param nanos longest sleep
     */
    public void sleep(long word, long nanos) {
        // A slow path: the size first, so that the atomic adds below (made inside the VM when this
        // code is interpreted, where a fault is fatal) and the futex touch a page that is there.
        self.checkSize();
        int slot = slot();
        // Total first and slot second on the way in, the reverse on the way out: a process killed
        // between the two leaves the total too high (one needless wake per release), never too low.
        header.getAndAddInt(WAITERS_OFFSET, 1);
        header.getAndAddInt(slot + HOLDER_WAITERS, 1);
        if (self.slot < 0 || holderSlotOffset(self.slot) != slot) {
            // The handle was released (at JVM exit) meanwhile. If that release took the slot's count
            // off before our increments, they are still there: take ours back. The release gives up
            // the slot before taking the count, and its CAS on the count is ordered before our
            // getAndAdd on it, so a count it did not see is one it left.
            takeBack(slot);
            return;
        }
        try {
            if (header.getLongVolatile(SEQUENCE_OFFSET) == word) {
                // EFAULT (the page vanished) is found by the size check below.
                Futex.await(header.wordAddress(SEQUENCE_OFFSET), (int) word, nanos); // the low half, little-endian
            }
        } finally {
            // After the sleep, the size again before the counts are touched: a truncated object's
            // counts are gone (the process's handles of it only fail from now on).
            self.checkSize();
            countOut(slot);
        }
    }

    /**
     * Takes this thread off its slot's count, then off the total; but if the slot is no longer
     * this process's, or its count is already zero, the handle was released meanwhile (at JVM
     * exit) and that release took the slot's whole count off the total: then nothing is left to do.
     */
    private void countOut(int slot) {
        while (true) {
            int c = header.getIntVolatile(slot + HOLDER_WAITERS);
            if (c <= 0 || self.slot < 0 || holderSlotOffset(self.slot) != slot) {
                return;
            }
            if (header.compareAndSetInt(slot + HOLDER_WAITERS, c, c - 1)) {
                break;
            }
        }
        header.getAndAddInt(WAITERS_OFFSET, -1);
    }

    /** Takes one unit off the slot's count and the total, if the slot still holds one. */
    private void takeBack(int slot) {
        while (true) {
            int c = header.getIntVolatile(slot + HOLDER_WAITERS);
            if (c <= 0) {
                return; // the release took it, with the total
            }
            if (header.compareAndSetInt(slot + HOLDER_WAITERS, c, c - 1)) {
                header.getAndAddInt(WAITERS_OFFSET, -1);
                return;
            }
        }
    }

    private int slot() {
        int s = self.slot;
        if (s < 0) {
            throw new IllegalStateException("this process holds no handle of the segment: name=" + self.name);
        }
        return holderSlotOffset(s);
    }

    /** Wakes the waiters, if any. Call after storing a new version and unlocking the user mutex. */
    public void wakeIfWaiting() {
        if (!UNLOCK_IS_FULL_BARRIER) {
            VarHandle.fullFence();
        }
        if (header.getInt(WAITERS_OFFSET) != 0) {
            Futex.wakeAll(header.wordAddress(SEQUENCE_OFFSET));
            wakeups.incrementAndGet();
        }
    }

    /** @return how many FUTEX_WAKE calls releases through this handle made */
    public long wakeups() {
        return wakeups.get();
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
