package io.ipcarc.posix.segment;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scratch;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;

/**
 * Finds out, within moments and without any cost on the hot paths, that another process
 * truncated (or grew) a segment this process holds: one daemon thread per JVM, asleep in
 * {@code poll} on an inotify descriptor that watches every attached object for
 * {@code IN_MODIFY} (which {@code truncate}, {@code ftruncate} and {@code fallocate} raise; stores
 * through a mapping do not). On an event it checks the object's size with {@code fstat}, and a
 * size other than the header's is recorded on the {@link Attachment}, which replaces the vanished
 * pages of every mapping by private zero pages and makes every later use of its handles fail with
 * {@code CorruptSegmentException}.
 *
 * <p>Why a watcher: the hot paths ({@code read()}, {@code version()}, {@code acquire()}) make no
 * system call, and a truncation that leaves the pages they touch in place (to half the size, say)
 * would otherwise go unnoticed there for ever; and every access that faults before the truncation
 * is noticed is one that HotSpot may report late ({@code docs/design.md}, "Truncation"). With the
 * watcher the window is the time from the truncation to this thread's {@code fstat}.
 *
 * <p>If inotify cannot be had (no instance or watch left: {@code EMFILE}, {@code ENOSPC}), the
 * objects it cannot watch are checked every {@link #SWEEP_MILLIS} milliseconds instead.
 */
public final class TruncationWatcher {
    private static final System.Logger LOG = System.getLogger("io.ipcarc");
    /** How often objects that inotify does not watch are checked. */
    static final int SWEEP_MILLIS = 100;
    /**
     * The longest sleep when every object is watched: objects are added to inotify by the thread
     * that attaches them, so this only bounds how late a newly unwatched object is first swept.
     */
    private static final int IDLE_MILLIS = 1_000;
    private static final int BUFFER_BYTES = 4096;
    private static volatile TruncationWatcher instance;

    private final int fd;
    private final Map<Integer, Attachment> watched = new ConcurrentHashMap<>();
    private final Set<Attachment> swept = ConcurrentHashMap.newKeySet();
    private final MemoryView pollFd = Scratch.of(Linux.POLLFD_BYTES);
    private final MemoryView events = Scratch.of(BUFFER_BYTES);

    private TruncationWatcher() {
        int f = Binding.C.inotify_init1(Linux.IN_CLOEXEC);
        if (f < 0) {
            LOG.log(System.Logger.Level.INFO, "inotify unavailable, truncation is checked every {0} ms instead: errno={1}",
                    SWEEP_MILLIS, Linux.errnoName(Binding.C.errno()));
        }
        this.fd = f;
        Thread t = new Thread(this::run, "ipcarc-truncation-watcher");
        t.setDaemon(true);
        t.start();
    }

    private static TruncationWatcher instance() {
        TruncationWatcher w = instance;
        if (w == null) {
            synchronized (TruncationWatcher.class) {
                w = instance;
                if (w == null) {
                    w = new TruncationWatcher();
                    instance = w;
                }
            }
        }
        return w;
    }

    /**
     * Starts watching an attached object.
     *
     * @param a the attachment, whose file is open
     */
    static void watch(Attachment a) {
        instance().add(a);
    }

    /**
     * Stops watching it; call before its file is closed.
     *
     * @param a the attachment
     */
    static void forget(Attachment a) {
        TruncationWatcher w = instance;
        if (w != null) {
            w.remove(a);
        }
    }

    private void add(Attachment a) {
        int wd = fd < 0 ? -1 : Binding.C.inotify_add_watch(fd, "/proc/self/fd/" + a.file.fd, Linux.IN_MODIFY);
        if (wd < 0) {
            if (fd >= 0) {
                LOG.log(System.Logger.Level.INFO, "cannot watch a segment for truncation, it is checked every {0} ms instead:"
                        + " errno={1}, name={2}", SWEEP_MILLIS, Linux.errnoName(Binding.C.errno()), a.name);
            }
            swept.add(a);
            return;
        }
        synchronized (a) {
            a.watch = wd;
        }
        watched.put(wd, a);
        a.sizeMayHaveChanged(); // a truncation between the caller's last check and the watch
    }

    private void remove(Attachment a) {
        swept.remove(a);
        int wd;
        synchronized (a) {
            wd = a.watch;
            a.watch = 0;
        }
        if (wd > 0 && watched.remove(wd, a)) {
            Binding.C.inotify_rm_watch(fd, wd);
        }
    }

    private void run() {
        while (true) {
            try {
                if (fd < 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(SWEEP_MILLIS * 1_000_000L);
                } else {
                    pollFd.putInt(0, fd);
                    pollFd.putShort(4, Linux.POLLIN);
                    pollFd.putShort(6, (short) 0);
                    int n = Binding.C.poll(pollFd.addressOf(0), 1, swept.isEmpty() ? IDLE_MILLIS : SWEEP_MILLIS);
                    if (n > 0) {
                        drain();
                    }
                }
                for (Attachment a : swept) {
                    a.sizeMayHaveChanged();
                }
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "truncation watcher: " + e, e);
                java.util.concurrent.locks.LockSupport.parkNanos(SWEEP_MILLIS * 1_000_000L);
            }
        }
    }

    /** Reads the pending events and checks the size of each object they name. */
    private void drain() {
        long n = Binding.C.read(fd, events.addressOf(0), BUFFER_BYTES);
        if (n <= 0) {
            return;
        }
        for (int at = 0; at + Linux.INOTIFY_EVENT_BYTES <= n; ) {
            int wd = events.getInt(at);
            int mask = events.getInt(at + 4);
            int len = events.getInt(at + 12);
            if ((mask & Linux.IN_Q_OVERFLOW) != 0) {
                for (Attachment a : watched.values()) {
                    a.sizeMayHaveChanged();
                }
            } else {
                Attachment a = watched.get(wd);
                if (a != null) {
                    a.sizeMayHaveChanged();
                }
            }
            at += Linux.INOTIFY_EVENT_BYTES + Math.max(0, len);
        }
    }
}
