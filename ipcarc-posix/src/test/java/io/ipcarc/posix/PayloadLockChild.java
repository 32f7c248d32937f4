package io.ipcarc.posix;

import io.ipcarc.IpcArc;
import io.ipcarc.PayloadGuard;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import java.util.concurrent.locks.LockSupport;

/**
 * The program {@link PayloadLockTest} starts in other JVMs, on a segment of
 * {@link PayloadLockTest#SIZE} raw bytes with {@link PayloadLockTest#LOCKS} payload locks:
 * <ul>
 *   <li>{@code increment NAME N}: N times, for each lock i: under lock i, adds 1 to counter i
 *       with a plain load and store (what the lock protects); prints {@code DONE};</li>
 *   <li>{@code hold NAME I}: takes lock I, writes an odd "half-done" marker into counter I,
 *       prints {@code LOCKED ownerDied=...} and keeps it until killed.</li>
 * </ul>
 */
public final class PayloadLockChild {
    private PayloadLockChild() {
    }

    /**
     * @param args a command and its arguments
     */
    public static void main(String[] args) {
        String name = args[1];
        try (IpcArc<byte[]> arc = IpcArc.load(name, ShmType.bytes(PayloadLockTest.SIZE))) {
            SharedBuffer b = arc.buffer();
            switch (args[0]) {
                case "increment" -> {
                    int n = Integer.parseInt(args[2]);
                    for (int k = 0; k < n; k++) {
                        for (int i = 0; i < PayloadLockTest.LOCKS; i++) {
                            try (PayloadGuard g = arc.payloadLock(i * 64).acquire()) {
                                int at = PayloadLockTest.counter(i);
                                b.putLong(at, b.getLong(at) + 1);
                            }
                        }
                    }
                    System.out.println("DONE");
                }
                case "hold" -> {
                    int i = Integer.parseInt(args[2]);
                    PayloadGuard g = arc.payloadLock(i * 64).acquire();
                    b.putLong(PayloadLockTest.counter(i), 1); // odd: half-done
                    System.out.println("LOCKED ownerDied=" + g.ownerDied());
                    while (true) {
                        LockSupport.park();
                    }
                }
                default -> throw new IllegalArgumentException("unknown command: " + args[0]);
            }
        }
    }
}
