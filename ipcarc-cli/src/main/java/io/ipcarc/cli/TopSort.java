package io.ipcarc.cli;

import java.util.Locale;

/** How {@code ipcarc top} orders its rows, and the key that chooses each order. */
enum TopSort {
    /** Segments and rings by name. */
    NAME('n'),
    /** Segments by refcount, highest first; rings by name. */
    REFS('r'),
    /** Segments by payload size, largest first; rings by name. */
    SIZE('s'),
    /** Rings by their largest reader lag, readers by lag, highest first; segments by name. */
    LAG('l'),
    /** Rings by write rate, highest first; segments by name. */
    RATE('w');

    private final char key;

    TopSort(char key) {
        this.key = key;
    }

    /** @return the key that chooses this order */
    char key() {
        return key;
    }

    /** @return the order's name in lower case, as {@code --sort} takes it */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param c a key pressed
     * @return the order it chooses, or {@code null}
     */
    static TopSort ofKey(int c) {
        for (TopSort s : values()) {
            if (s.key == c) {
                return s;
            }
        }
        return null;
    }
}
