package io.ipcarc.map;

import io.ipcarc.map.MapChild.Pair;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A worker of the model-based cross-process test: random put, remove and compute on keys
 * {@code 0..KEYS-1} of an {@code IpcMap<Long, Pair>}, each with a value unique to it, logged one
 * line before ({@code B id op key begin-nanos}) and one after ({@code A id end-nanos}) with one
 * write each, until killed; it rests 50 microseconds every 8 operations, so that its log stays
 * small while most of its time is still spent inside the map's operations and their logging.
 * {@code System.nanoTime} is CLOCK_MONOTONIC, the same clock in every process of the host, so
 * the checker can order the operations of different workers.
 *
 * <p>It prints {@code READY} once it has the map, and {@code REPAIRED ...} for each repair it
 * makes of what a killed worker left. Arguments: {@code NAME LOG KEYS ID-BASE SEED}; every value
 * it writes is {@code ID-BASE + n}.
 */
public final class MapModelWorker {
    private MapModelWorker() {
    }

    /**
     * @param args name, log file, keys, id base, seed
     * @throws IOException if the log cannot be written
     */
    public static void main(String[] args) throws IOException {
        String name = args[0];
        int keys = Integer.parseInt(args[2]);
        long base = Long.parseLong(args[3]);
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[4]));
        MapRepairListener told = rep -> System.out.println("REPAIRED stripe=" + rep.stripe() + " ownerDied=" + rep.ownerDied());
        try (IpcMap<Long, Pair> m = IpcMap.load(name, Long.class, Pair.class, told);
             FileOutputStream log = new FileOutputStream(args[1], true)) {
            System.out.println("READY");
            System.out.flush();
            for (long n = 0; ; n++) {
                long id = base + n;
                long key = r.nextInt(keys);
                int dice = r.nextInt(10);
                char op = dice < 5 ? 'P' : dice < 8 ? 'R' : (r.nextBoolean() ? 'C' : 'D'); // D: a compute that removes
                log.write(("B " + id + " " + op + " " + key + " " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
                Pair previous = switch (op) {
                    case 'P' -> m.put(key, Pair.of(id));
                    case 'R' -> m.remove(key);
                    case 'C' -> m.compute(key, (k, v) -> Pair.of(id));
                    default -> m.compute(key, (k, v) -> null);
                };
                if (previous != null && !previous.consistent()) {
                    System.out.println("TORN " + previous);
                }
                log.write(("A " + id + " " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
                if ((n & 7) == 7) {
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000); // about 10k operations a second: logs stay small
                }
            }
        }
    }
}
