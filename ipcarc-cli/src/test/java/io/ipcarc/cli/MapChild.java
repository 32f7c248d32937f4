package io.ipcarc.cli;

import io.ipcarc.map.IpcMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM holding a stripe of an {@code IpcMap<Long, Long>}: {@code hold NAME KEY} runs a compute of
 * KEY that prints {@code HOLDING} and never returns, until the process is killed.
 */
public final class MapChild {
    private MapChild() {
    }

    /**
     * @param args {@code hold NAME KEY}
     */
    public static void main(String[] args) {
        IpcMap<Long, Long> m = IpcMap.load(args[1], Long.class, Long.class);
        m.compute(Long.parseLong(args[2]), (k, v) -> {
            System.out.println("HOLDING");
            System.out.flush();
            while (true) {
                LockSupport.park();
            }
        });
    }
}
