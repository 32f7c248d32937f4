package io.ipcarc.map;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Judges a final map against the workers' logs, key by key, reading the logs once and keeping
 * a few figures per key. An operation that began and was acknowledged took effect between its two
 * time stamps; one that began and was not (its worker was killed) may have taken effect at any time
 * after it began, or not at all. A final value is explained by the operation that wrote it if no
 * acknowledged operation on the key began after that one ended (it would have overwritten it); a
 * final absence is explained by a remove (or a compute that removes) that no acknowledged
 * operation began after, or by the start if no operation on the key was acknowledged.
 */
final class ModelChecker {
    private static final long UNENDED = Long.MAX_VALUE;

    private final Map<Long, Long> actual;
    private final Map<Long, Long> latestAckBegin = new HashMap<>();
    private final Map<Long, Long> latestRemoveEnd = new HashMap<>();
    /** For each value the final map holds: its writer's kind, key and end. */
    private final Map<Long, long[]> writers = new HashMap<>();
    private int operations;
    private int unacknowledged;

    private ModelChecker(Map<Long, Long> actual) {
        this.actual = actual;
    }

    /**
     * @param dir the workers' logs
     * @param actual the final map: key to the id of the operation whose value it holds
     */
    static ModelChecker read(Path dir, Map<Long, Long> actual) throws IOException {
        ModelChecker c = new ModelChecker(actual);
        java.util.Set<Long> wanted = new java.util.HashSet<>(actual.values());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                c.readLog(f, wanted);
            }
        }
        return c;
    }

    private void readLog(Path f, java.util.Set<Long> wanted) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
            long[] open = null; // id, kind, key, begin of the operation begun last
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(" ");
                try {
                    if (p[0].equals("B") && p.length == 5) {
                        if (open != null) {
                            end(open, UNENDED, wanted);
                        }
                        open = new long[] {Long.parseLong(p[1]), p[2].charAt(0), Long.parseLong(p[3]), Long.parseLong(p[4])};
                    } else if (p[0].equals("A") && p.length == 3 && open != null && Long.parseLong(p[1]) == open[0]) {
                        end(open, Long.parseLong(p[2]), wanted);
                        open = null;
                    }
                } catch (NumberFormatException e) {
                    // a line cut short by a kill
                }
            }
            if (open != null) {
                end(open, UNENDED, wanted);
            }
        }
    }

    private void end(long[] op, long end, java.util.Set<Long> wanted) {
        operations++;
        long key = op[2];
        char kind = (char) op[1];
        if (end == UNENDED) {
            unacknowledged++;
        } else {
            latestAckBegin.merge(key, op[3], Math::max);
        }
        if (kind == 'R' || kind == 'D') {
            latestRemoveEnd.merge(key, end, Math::max);
        } else if (wanted.contains(op[0])) {
            writers.put(op[0], new long[] {kind, key, end});
        }
    }

    int operations() {
        return operations;
    }

    int unacknowledged() {
        return unacknowledged;
    }

    /** @return what cannot be explained, one line per key (at most 20) */
    List<String> violations(int keys) {
        List<String> out = new ArrayList<>();
        for (long k = 0; k < keys && out.size() < 20; k++) {
            long ackBegin = latestAckBegin.getOrDefault(k, Long.MIN_VALUE);
            Long value = actual.get(k);
            if (value != null) {
                long[] w = writers.get(value);
                if (w == null || w[1] != k) {
                    out.add("key " + k + " holds " + value + ", which no operation on it wrote");
                } else if (w[2] < ackBegin) {
                    out.add("key " + k + " holds " + value + ", written by an operation that ended before an acknowledged one"
                            + " on the key began: an acknowledged write was lost");
                }
            } else if (ackBegin != Long.MIN_VALUE && latestRemoveEnd.getOrDefault(k, Long.MIN_VALUE) < ackBegin) {
                out.add("key " + k + " is absent, but no remove explains it: the last acknowledged operations wrote it");
            }
        }
        return out;
    }
}
