package io.ipcarc.map;

import java.util.concurrent.locks.LockSupport;

/**
 * The program the map's cross-process tests start in separate JVMs, on an {@code IpcMap<Long, Pair>}.
 * <ul>
 *   <li>{@code op NAME put|remove|compute KEY VALUE}: one write, then {@code DONE}; started with
 *       {@code -Dipcarc.map.crashAt=POINT} it halts at that point instead (exit status 137);</li>
 *   <li>{@code hold NAME KEY}: a compute of KEY that prints {@code HOLDING} and never returns, holding the
 *       stripe's lock until killed;</li>
 *   <li>{@code open-or-create NAME GO-FILE ID [other]}: waits until GO-FILE exists, then opens or creates the map
 *       (with {@code other}: as an {@code IpcMap<Integer, Pair>}), puts ID under key ID, prints
 *       {@code OPENED created=<bool> refCount=<n>} or {@code REFUSED <exception>}, and waits for a line on stdin.</li>
 * </ul>
 */
public final class MapChild {
    private MapChild() {
    }

    /**
     * A value whose halves check each other: b is always -a, so a torn value shows.
     *
     * @param a the value
     * @param b its negation
     */
    public record Pair(long a, long b) {
        /**
         * @param v the value
         * @return the pair of {@code v}
         */
        public static Pair of(long v) {
            return new Pair(v, -v);
        }

        /** @return whether the halves agree */
        public boolean consistent() {
            return b == -a;
        }
    }

    /**
     * @param args a command and its arguments
     */
    public static void main(String[] args) throws java.io.IOException {
        if (args[0].equals("open-or-create")) {
            openOrCreate(args);
            return;
        }
        try (IpcMap<Long, Pair> m = IpcMap.load(args[1], Long.class, Pair.class)) {
            switch (args[0]) {
                case "op" -> {
                    long key = Long.parseLong(args[3]);
                    long value = Long.parseLong(args[4]);
                    switch (args[2]) {
                        case "put" -> m.put(key, Pair.of(value));
                        case "remove" -> m.remove(key);
                        case "compute" -> m.compute(key, (k, v) -> Pair.of(value));
                        default -> throw new IllegalArgumentException("unknown op: " + args[2]);
                    }
                    System.out.println("DONE");
                }
                case "hold" -> m.compute(Long.parseLong(args[2]), (k, v) -> {
                    System.out.println("HOLDING");
                    System.out.flush();
                    while (true) {
                        LockSupport.park();
                    }
                });
                default -> throw new IllegalArgumentException("unknown command: " + args[0]);
            }
        }
    }

    private static void openOrCreate(String[] args) throws java.io.IOException {
        java.nio.file.Path go = java.nio.file.Path.of(args[2]);
        System.out.println("WAITING");
        System.out.flush();
        while (!java.nio.file.Files.exists(go)) {
            Thread.onSpinWait();
        }
        long id = Long.parseLong(args[3]);
        MapOptions options = MapOptions.capacity(100).withStripes(2);
        try {
            if (args.length > 4) {
                IpcMap.openOrCreate(args[1], Integer.class, Pair.class, options).close();
                System.out.println("OPENED other types");
                return;
            }
            IpcMap<Long, Pair> m = IpcMap.openOrCreate(args[1], Long.class, Pair.class, options);
            m.put(id, Pair.of(id));
            System.out.println("OPENED created=" + m.created() + " refCount=" + m.refCount());
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
            m.close();
        } catch (RuntimeException e) {
            System.out.println("REFUSED " + e);
        }
    }
}
