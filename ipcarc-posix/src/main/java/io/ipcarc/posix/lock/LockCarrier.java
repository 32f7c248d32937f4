package io.ipcarc.posix.lock;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import io.ipcarc.posix.sys.Linux;

/**
 * The platform thread that takes and releases a segment's user mutex on behalf of virtual
 * threads (JDK 21+). A pthread mutex belongs to the OS thread that locked it, and a virtual
 * thread may run on another carrier when it unlocks, or share its carrier with another virtual
 * thread that then looks like the owner; so virtual threads never call pthreads themselves.
 * They post a lock request here and park (unmounting from their carrier, so no carrier is ever
 * pinned while they wait); this thread locks, hands the mutex over, waits for the release
 * request of that same guard, unlocks, and serves the next request. One carrier serves every
 * virtual thread of the process for one segment, in arrival order.
 *
 * <p>While it holds the mutex for one virtual thread, it answers every {@code tryAcquire}
 * request "busy" at once, so a try never waits behind a held guard.
 *
 * <p>Cost: two hand-offs between threads per guard (a lock and an unlock request), a few
 * microseconds each, on top of the pthread calls. Platform threads never come here.
 */
public final class LockCarrier {
    private static final int PENDING = 0;
    private static final int ANSWERED = 1;
    private static final int CANCELLED = 2;
    private static final long PARK_NANOS = 50_000_000L;

    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread thread;

    /**
     * Starts the carrier thread (a daemon).
     *
     * @param segment the segment's name, for the thread's name
     */
    public LockCarrier(String segment) {
        thread = new Thread(this::serve, "ipcarc-lock-carrier-" + segment);
        thread.setDaemon(true);
        thread.start();
    }

    /** A lock request of one virtual thread, and later the release of what it was granted. */
    public final class Request {
        private final Thread waiter = Thread.currentThread();
        private final boolean tryOnly;
        private final ToIntFunction<BooleanSupplier> lock;
        private final IntSupplier unlock;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        private volatile int rc;
        /** What the lock threw on the carrier (the segment was found damaged or truncated), else {@code null}. */
        private volatile RuntimeException failure;
        private volatile boolean releasing;
        private volatile boolean released;
        private int releaseRc;

        private Request(boolean tryOnly, ToIntFunction<BooleanSupplier> lock, IntSupplier unlock) {
            this.tryOnly = tryOnly;
            this.lock = lock;
            this.unlock = unlock;
        }

        private boolean cancelled() {
            return state.get() == CANCELLED;
        }

        /**
         * Parks the calling virtual thread until the carrier answers, or gives up at
         * {@code deadline} or on an interrupt.
         *
         * @param deadline a {@link System#nanoTime()} value
         * @param interruptible whether an interrupt gives up
         * @return the lock's result, or -1 if given up (the carrier then releases anything it got)
         */
        public int await(long deadline, boolean interruptible) {
            while (state.get() == PENDING) {
                long left = deadline - System.nanoTime();
                boolean stop = left <= 0 || interruptible && Thread.currentThread().isInterrupted();
                if (stop && state.compareAndSet(PENDING, CANCELLED)) {
                    return -1;
                }
                LockSupport.parkNanos(this, Math.max(1, Math.min(left, PARK_NANOS)));
            }
            return rc;
        }

        /** @return what the lock threw on the carrier, or {@code null}; read after {@link #await} */
        public RuntimeException failure() {
            return failure;
        }

        /**
         * Has the carrier run the unlock (on the thread that holds the mutex); parks until done.
         *
         * @return the unlock's pthread result
         */
        public int release() {
            releasing = true;
            LockSupport.unpark(thread);
            while (!released) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            return releaseRc;
        }
    }

    /**
     * Posts a lock request on behalf of the calling virtual thread.
     *
     * @param tryOnly whether it is a {@code tryAcquire}: answered "busy" while the carrier holds the mutex
     * @param lock run on the carrier: locks (stopping early when its argument says the request
     *     was given up) and returns the pthread result
     * @param unlock run on the carrier to release a mutex it locked
     * @return the request, to {@link Request#await} and, once granted, {@link Request#release}
     */
    public Request submit(boolean tryOnly, ToIntFunction<BooleanSupplier> lock, IntSupplier unlock) {
        Request r = new Request(tryOnly, lock, unlock);
        requests.add(r);
        LockSupport.unpark(thread); // it may be holding the mutex and have tries to answer
        return r;
    }

    /** While the mutex is held for another request: every try is answered "busy" now. */
    private void answerTriesBusy() {
        for (Request t : requests) {
            if (t.tryOnly && requests.remove(t) && t.state.compareAndSet(PENDING, ANSWERED)) {
                t.rc = Linux.EBUSY;
                LockSupport.unpark(t.waiter);
            }
        }
    }

    private void serve() {
        while (true) {
            Request r;
            try {
                r = requests.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r.cancelled()) {
                continue;
            }
            int rc;
            try {
                rc = r.lock.applyAsInt(r::cancelled);
            } catch (RuntimeException e) {
                r.failure = e; // reported to the waiting virtual thread, never the end of this thread
                rc = Linux.EINVAL;
            }
            boolean held = rc == 0 || rc == Linux.EOWNERDEAD;
            r.rc = rc;
            if (!r.state.compareAndSet(PENDING, ANSWERED)) {
                if (held) {
                    r.unlock.getAsInt(); // its thread gave up meanwhile: release what nobody will use
                }
                continue;
            }
            LockSupport.unpark(r.waiter);
            if (!held) {
                continue;
            }
            while (!r.releasing) {
                answerTriesBusy();
                // The queue's own lock may have swallowed the releaser's unpark: look again
                // before sleeping, and never sleep long.
                if (!r.releasing) {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
            }
            try {
                r.releaseRc = r.unlock.getAsInt();
            } catch (RuntimeException e) {
                r.releaseRc = Linux.EINVAL;
            }
            r.released = true;
            LockSupport.unpark(r.waiter);
        }
    }

    /** Stops the carrier thread; call once nothing can submit any more. */
    public void stop() {
        thread.interrupt();
    }
}
