package io.ipcarc.map;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmString;
import io.ipcarc.TypeMismatchException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The program of the fuzz test, in its own JVM: round after round it overwrites one 32-bit word
 * of a map's payload (header, allocator, stripe journals, index words, entries, descriptors; not
 * the bytes of the pthread mutexes, which belong to glibc and the segment layer's own tests) with
 * a random or a telling value, then uses the map: gets, puts, removes, computes, size, forEach, a
 * second handle's load and a full check. Every exception must be one a damaged map may throw
 * ({@code CorruptSegmentException}, {@code MapFullException}, {@code TypeMismatchException} on
 * load); anything else is printed as {@code UNEXPECTED}. Every 25 rounds the map is made anew
 * under the same name.
 * Prints {@code DONE rounds=N corrupt=N ...} and exits 0: the JVM survived every round.
 *
 * <p>Arguments: {@code NAME ROUNDS SEED}.
 */
public final class MapFuzzer {
    private MapFuzzer() {
    }

    /**
     * A value with a string, so that scribbled bytes can make it undecodable.
     *
     * @param id a number
     * @param tag a short string
     */
    public record Item(long id, @ShmString(7) String tag) {
    }

    /**
     * @param args name, rounds, seed
     */
    public static void main(String[] args) {
        String name = args[0];
        int rounds = Integer.parseInt(args[1]);
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[2]));
        Map<String, Integer> outcomes = new TreeMap<>();
        IpcMap<Long, Item> m = null;
        for (int round = 0; round < rounds; round++) {
            if (round % 25 == 0) {
                if (m != null) {
                    m.close();
                }
                m = IpcMap.create(name, Long.class, Item.class, MapOptions.capacity(300).withStripes(4)); // the last close freed the name
                for (long k = 0; k < 250; k++) {
                    m.put(k, new Item(k, "t" + k));
                }
            }
            scribble(m, r);
            for (int op = 0; op < 40; op++) {
                String outcome = attempt(m, r);
                outcomes.merge(outcome, 1, Integer::sum);
                if (outcome.startsWith("UNEXPECTED")) {
                    System.out.println(outcome);
                }
            }
        }
        m.close();
        StringBuilder sb = new StringBuilder("DONE rounds=" + rounds);
        outcomes.forEach((k, v) -> {
            if (!k.startsWith("UNEXPECTED")) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        System.out.println(sb);
    }

    private static void scribble(IpcMap<Long, Item> m, SplittableRandom r) {
        MapStore<Long, Item> s = m.store();
        SharedBuffer b = s.buf;
        int region = r.nextInt(100);
        int offset;
        if (region < 15) {
            offset = r.nextInt(MapDescriptor.LOCKS_OFFSET / 4) * 4; // header, changes, allocator
        } else if (region < 20) {
            offset = MapDescriptor.stripeLock(r.nextInt(s.stripes + 1)) + 48 + r.nextInt(4) * 4; // a lock's pid and death words
        } else if (region < 40) {
            offset = s.stripeAt(r.nextInt(s.stripes)) + r.nextInt(MapDescriptor.STRIPE_SIZE / 4) * 4; // a stripe's lines
        } else if (region < 70) {
            offset = s.indexAt(r.nextInt(s.indexSlots));
        } else if (region < 95) {
            offset = s.entryAt(r.nextInt(s.entries)) + r.nextInt(Math.min(6, s.entrySize / 4)) * 4;
        } else {
            offset = s.geometry.descriptorsOffset() + r.nextInt((s.buf.capacity() - s.geometry.descriptorsOffset()) / 4) * 4;
        }
        int[] telling = {0, -1, 1, 2, 3, s.entries, s.entries - 1, s.indexSlots, s.stripes, Integer.MIN_VALUE, Integer.MAX_VALUE,
            MapDescriptor.OP_REMOVE, MapDescriptor.OP_UPDATE, MapDescriptor.OP_INSERT};
        int value = r.nextBoolean() ? r.nextInt() : telling[r.nextInt(telling.length)];
        b.putIntVolatile(offset, value);
    }

    private static String attempt(IpcMap<Long, Item> m, SplittableRandom r) {
        long key = r.nextLong(300);
        try {
            switch (r.nextInt(9)) {
                case 0, 1, 2 -> m.get(key);
                case 3 -> m.put(key, new Item(key, "p"));
                case 4 -> m.remove(key);
                case 5 -> m.compute(key, (k, v) -> v == null ? new Item(k, "c") : null);
                case 6 -> m.size();
                case 7 -> m.forEach((k, v) -> { });
                default -> {
                    if (r.nextBoolean()) {
                        m.check();
                    } else {
                        IpcMap.load(m.name(), Long.class, Item.class).close();
                    }
                }
            }
            return "ok";
        } catch (CorruptSegmentException e) {
            return "corrupt";
        } catch (MapFullException e) {
            return "full";
        } catch (TypeMismatchException e) {
            return "typeMismatch";
        } catch (RuntimeException | Error e) {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            return "UNEXPECTED " + w.toString().replace('\n', ' ').replace('\t', ' ');
        }
    }
}
