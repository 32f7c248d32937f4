package io.ipcarc.map;

import java.util.concurrent.locks.LockSupport;

/**
 * The program the map's cross-process tests start in separate JVMs, on an {@code IpcMap<Long, Pair>}.
 * <ul>
 *   <li>{@code op NAME put|remove|compute KEY VALUE}: one write, then {@code DONE}; started with
 *       {@code -Dipcarc.map.crashAt=POINT} it halts at that point instead (exit status 137);</li>
 *   <li>{@code hold NAME KEY VALUE}: a compute of KEY that stores VALUE's pair, prints {@code HOLDING} and
 *       never returns, holding the stripe's lock until killed.</li>
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
    public static void main(String[] args) {
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
}
