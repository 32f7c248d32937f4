package io.ipcarc.micrometer;

import io.ipcarc.map.IpcMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The program {@link MapMetricsTest} starts in other JVMs, on an {@code IpcMap<Long, Long>}:
 * <ul>
 *   <li>{@code writer NAME}: loads the map, prints {@code READY}, then obeys lines on stdin:
 *       {@code put FROM TO} puts keys FROM to TO - 1 (each key its own value) and prints
 *       {@code PUT TO}; {@code remove FROM TO} removes them and prints {@code REMOVED TO}; the end
 *       of stdin closes the map;</li>
 *   <li>{@code hold NAME KEY}: a compute of KEY that prints {@code HOLDING} and never returns,
 *       holding the key's stripe lock until killed.</li>
 * </ul>
 */
public final class MapMetricsChild {
    private MapMetricsChild() {
    }

    /**
     * @param args a command and its arguments
     * @throws IOException if stdin fails
     */
    public static void main(String[] args) throws IOException {
        try (IpcMap<Long, Long> map = IpcMap.load(args[1], Long.class, Long.class)) {
            switch (args[0]) {
                case "writer" -> write(map);
                case "hold" -> map.compute(Long.parseLong(args[2]), (k, v) -> {
                    System.out.println("HOLDING");
                    System.out.flush();
                    while (true) {
                        LockSupport.park();
                    }
                });
                default -> throw new IllegalArgumentException("unknown command: command=" + args[0]);
            }
        }
    }

    private static void write(IpcMap<Long, Long> map) throws IOException {
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] w = line.split(" ");
            long from = Long.parseLong(w[1]);
            long to = Long.parseLong(w[2]);
            for (long k = from; k < to; k++) {
                if (w[0].equals("put")) {
                    map.put(k, k);
                } else {
                    map.remove(k);
                }
            }
            System.out.println((w[0].equals("put") ? "PUT " : "REMOVED ") + to);
            System.out.flush();
        }
    }
}
