package io.ipcarc.bench.map;

import io.ipcarc.map.IpcMap;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;

/**
 * A child JVM of the map rows ({@link MapRows} starts it with the launcher's {@code ChildJvm}). Modes:
 * <ul>
 *   <li>{@code mix ipc|chronicle MAP KEYS WARM_MS MEASURE_MS SEED GO_FILE}: opens the map, prints
 *       {@code ready}, waits for {@code GO_FILE}, then runs 90% gets and 10% puts of random keys
 *       below {@code KEYS}: {@code WARM_MS} of warm-up, then {@code MEASURE_MS} counted; prints
 *       {@code ops N nanos T}.</li>
 *   <li>{@code hold ipc|chronicle MAP KEY}: enters an update of {@code KEY} and stays inside it
 *       (IpcMap: inside {@code compute}'s function, under the key's stripe lock; Chronicle: holding
 *       {@code queryContext(key).writeLock()}); prints {@code inside}. The parent SIGKILLs it.</li>
 *   <li>{@code put ipc MAP KEY}: one put of {@code KEY}; started with {@code -Dipcarc.map.crashAt=...}
 *       it halts inside the put, at that crash point.</li>
 * </ul>
 */
public final class MapWorker {
    private MapWorker() {
    }

    /**
     * The two maps behind one small interface, so that the mixed loop is the same code for both.
     *
     * @param get the map's get
     * @param put the map's put
     * @param closer closes the map
     */
    private record Ops(Function<Long, Rec8> get, BiConsumer<Long, Rec8> put, Runnable closer) {
    }

    /**
     * Runs one mode.
     *
     * @param args see the class comment
     * @throws Exception if a map cannot be opened
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        boolean ipc = args[1].equals("ipc");
        String map = args[2];
        switch (mode) {
            case "mix" -> {
                int keys = Integer.parseInt(args[3]);
                mix(open(ipc, map, keys), keys, Long.parseLong(args[4]), Long.parseLong(args[5]), Long.parseLong(args[6]),
                        Path.of(args[7]));
            }
            case "hold" -> hold(ipc, map, Long.parseLong(args[3]));
            case "put" -> {
                try (IpcMap<Long, Rec8> m = MapSubjects.loadIpc(map)) {
                    System.out.println("putting");
                    m.put(Long.parseLong(args[3]), Rec8.of(1));
                    System.out.println("put returned (no crash point reached)");
                }
            }
            default -> throw new IllegalArgumentException("unknown mode: mode=" + mode);
        }
    }

    private static Ops open(boolean ipc, String map, int entries) {
        if (ipc) {
            IpcMap<Long, Rec8> m = MapSubjects.loadIpc(map);
            return new Ops(m::get, m::put, m::close);
        }
        ChronicleMap<Long, Rec8> m = MapSubjects.chronicle(new File(map), entries);
        return new Ops(m::get, m::put, m::close);
    }

    private static void mix(Ops ops, int keys, long warmMs, long measureMs, long seed, Path go) {
        Long[] boxed = new Long[keys];
        for (int i = 0; i < keys; i++) {
            boxed[i] = (long) i;
        }
        Rec8[] values = new Rec8[16];
        for (int i = 0; i < values.length; i++) {
            values[i] = Rec8.of(i * 8L);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        System.out.println("ready");
        while (!Files.exists(go)) {
            LockSupport.parkNanos(100_000L);
        }
        long sink = 0;
        long start = System.nanoTime();
        long measureFrom = start + warmMs * 1_000_000L;
        long end = measureFrom + measureMs * 1_000_000L;
        long count = 0;
        long t0 = 0;
        boolean counting = false;
        while (true) {
            for (int i = 0; i < 256; i++) {
                int r = rnd.nextInt();
                Long k = boxed[(r >>> 8) % keys];
                if ((r & 0xff) < 26) { // 26 / 256: 10% puts
                    ops.put().accept(k, values[r & 15]);
                } else {
                    Rec8 v = ops.get().apply(k);
                    sink += v == null ? 0 : v.a();
                }
            }
            long now = System.nanoTime();
            if (!counting && now >= measureFrom) {
                counting = true;
                t0 = now;
                count = 0;
                continue;
            }
            if (counting) {
                count += 256;
                if (now >= end) {
                    System.out.println("ops " + count + " nanos " + (now - t0) + " sink " + (sink & 1));
                    break;
                }
            }
        }
        ops.closer().run();
    }

    private static void hold(boolean ipc, String map, long key) {
        if (ipc) {
            IpcMap<Long, Rec8> m = MapSubjects.loadIpc(map);
            m.compute(key, (k, v) -> {
                System.out.println("inside");
                while (true) {
                    LockSupport.park();
                }
            });
            return;
        }
        ChronicleMap<Long, Rec8> m = MapSubjects.chronicle(new File(map), MapRows.RECOVERY_ENTRIES);
        ExternalMapQueryContext<Long, Rec8, ?> c = m.queryContext(key);
        c.writeLock().lock();
        System.out.println("inside");
        while (true) {
            LockSupport.park();
        }
    }
}
