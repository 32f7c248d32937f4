package io.ipcarc.map;

/** Keys chosen by their home slot, to build probe clusters on purpose. */
final class Collisions {
    private Collisions() {
    }

    static int homeOf(MapStore<?, ?> store, long key) {
        return store.home(MapHash.hash32(MapHash.ofWord(key)));
    }

    /**
     * @return {@code n} keys whose home is one slot of stripe 0, at least {@code margin} slots before the stripe's last
     */
    static long[] sameHome(MapStore<?, ?> store, int n, int margin) {
        int home = -1;
        long[] keys = new long[n];
        int found = 0;
        for (long k = 1; found < n; k++) {
            int h = homeOf(store, k);
            if (home < 0 && h < store.stripeSlots - margin) {
                home = h;
            }
            if (h == home) {
                keys[found++] = k;
            }
        }
        return keys;
    }

    /**
     * @return the {@code skip}-th key (from 0) whose home is more than 8 slots from {@code near}'s and in stripe 0
     */
    static long elsewhere(MapStore<?, ?> store, long near, int skip) {
        int h0 = homeOf(store, near);
        for (long k = 1_000_000; ; k++) {
            int h = homeOf(store, k);
            if (Math.abs(h - h0) > 8 && h < store.stripeSlots - 8 && skip-- == 0) {
                return k;
            }
        }
    }
}
