package io.ipcarc.map;

import io.ipcarc.ShmType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Maps shared by all iterations of a map stress test in one test JVM, and their values: six
 * longs that all depend on one number, so a torn value shows.
 */
final class TestMaps {
    /**
     * Six words derived from one number.
     *
     * @param w0 the number times 31
     * @param w1 plus 1
     * @param w2 plus 2
     * @param w3 plus 3
     * @param w4 plus 4
     * @param w5 plus 5
     */
    record Six(long w0, long w1, long w2, long w3, long w4, long w5) {
        static Six of(long v) {
            return new Six(v * 31, v * 31 + 1, v * 31 + 2, v * 31 + 3, v * 31 + 4, v * 31 + 5);
        }

        boolean consistent() {
            return w1 == w0 + 1 && w2 == w0 + 2 && w3 == w0 + 3 && w4 == w0 + 4 && w5 == w0 + 5;
        }
    }

    private TestMaps() {
    }

    /**
     * A map whose name is unlinked at once: jcstress ends its JVMs without shutdown hooks; the
     * mapping stays valid and this JVM is its only user.
     */
    static IpcMap<Long, Six> unlinked(String what, int capacity, int stripes) {
        String name = "/ipcarc-jcstress-" + what + "-" + ProcessHandle.current().pid();
        IpcMap<Long, Six> m = IpcMap.create(name, ShmType.of(Long.class), ShmType.of(Six.class),
                MapOptions.capacity(capacity).withStripes(stripes));
        try {
            Files.deleteIfExists(Path.of("/dev/shm", name.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink the test map: name=" + name, e);
        }
        return m;
    }

    /** @return {@code n} keys with one home slot, away from the stripe's end */
    static long[] sameHome(IpcMap<?, ?> m, int n) {
        MapStore<?, ?> s = m.store();
        long[] keys = new long[n];
        int home = -1;
        int found = 0;
        for (long k = 1; found < n; k++) {
            int h = s.home(MapHash.hash32(MapHash.ofWord(k)));
            if (home < 0 && h < s.stripeSlots - n - 2) {
                home = h;
            }
            if (h == home) {
                keys[found++] = k;
            }
        }
        return keys;
    }
}
