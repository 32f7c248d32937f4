package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.LOCK_DEAD_OWNER_PID;

import io.ipcarc.SharedBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** Tells the log, the listener and the handle's counter about each repair. */
final class RepairReporter {
    private static final System.Logger LOG = System.getLogger("io.ipcarc.map");

    private final String name;
    private final SharedBuffer buf;
    private final MapRepairListener listener;
    private final AtomicLong count = new AtomicLong();

    RepairReporter(String name, SharedBuffer buf, MapRepairListener listener) {
        this.name = name;
        this.buf = buf;
        this.listener = listener;
    }

    void report(int stripe, int lockOffset, boolean ownerDied, String action) {
        int deadPid = ownerDied ? buf.getInt(lockOffset + LOCK_DEAD_OWNER_PID) : 0;
        MapRepair r = new MapRepair(name, stripe, ownerDied, deadPid, action);
        count.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, () -> "map repaired: name=" + name + ", stripe=" + stripe + ", ownerDied=" + ownerDied
                + ", deadOwnerPid=" + deadPid + ", action=" + action);
        if (listener != null) {
            try {
                listener.repaired(r);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "map repair listener failed: name=" + name, e);
            }
        }
    }

    long count() {
        return count.get();
    }
}
