import io.ipcarc.IpcArc;
import java.util.concurrent.locks.LockSupport;

/** Drops an IpcArc without close() and waits for the Cleaner to return its reference (docs/operations.md). */
public final class LeakDemo {
    /** @param args a command and its arguments, see the class comment */
    public static void main(String[] args) {
        try (IpcArc<Long> orders = IpcArc.create("/leak-demo", 41L)) {
            openAndForget();
            System.out.println("refCount after dropping a handle: " + orders.refCount());
            while (orders.refCount() > 1) {
                System.gc();
                LockSupport.parkNanos(10_000_000L);
            }
            System.out.println("refCount after the Cleaner ran: " + orders.refCount());
        }
    }

    static void openAndForget() {
        IpcArc<Long> leaked = IpcArc.load("/leak-demo", Long.class);
        System.out.println("loaded, refCount " + leaked.refCount());
    }
}
