package io.ipcarc.posix.segment;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import io.ipcarc.posix.memory.Scope;

/**
 * Waits for a change of a segment's value on behalf of virtual threads (JDK 21+): a blocking
 * futex call would pin the virtual thread's carrier, so the virtual threads park (unmounting)
 * and this one platform thread of the handle sleeps in the futex for all of them, then unparks
 * them to look at the version again. It sleeps only while some virtual thread waits.
 */
public final class ChangeWatcher {
    /** Longest park of a waiting virtual thread between two looks at the version. */
    private static final long LOOK_NANOS = ChangeSignal.SLICE_NANOS;

    private final ChangeSignal changes;
    /** The handle's mapping: a waiting virtual thread stops when its segment is found truncated. */
    private final Scope handle;
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    ChangeWatcher(ChangeSignal changes, String segment, Scope handle) {
        this.changes = changes;
        this.handle = handle;
        this.thread = new Thread(this::watch, "ipcarc-change-watcher-" + segment);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Parks the calling virtual thread until the version differs from {@code version}.
     *
     * @param version a version the caller has seen
     * @param nanos the longest wait
     * @param name the segment, for the message
     * @return the new version, or {@code version} if it did not change in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long await(long version, long nanos, String name) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        Thread me = Thread.currentThread();
        waiters.add(me);
        LockSupport.unpark(thread);
        try {
            while (true) {
                if (!handle.alive()) {
                    throw handle.closedError();
                }
                long v = changes.version();
                if (v != version) {
                    return v;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while awaiting a change: name=" + name + ", version=" + version);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return version;
                }
                LockSupport.parkNanos(this, Math.min(left, LOOK_NANOS));
            }
        } finally {
            waiters.remove(me);
        }
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            if (waiters.isEmpty()) {
                LockSupport.parkNanos(this, LOOK_NANOS);
                continue;
            }
            try {
                changes.await(changes.version(), LOOK_NANOS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | InternalError e) {
                // The segment is damaged or truncated: the waiters find out themselves, at once.
                for (Thread t : waiters) {
                    LockSupport.unpark(t);
                }
                LockSupport.parkNanos(this, LOOK_NANOS);
                continue;
            }
            for (Thread t : waiters) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Stops the thread; call once no thread can wait through the handle any more. */
    public void stop() {
        thread.interrupt();
    }
}
