package io.ipcarc.bench;

/**
 * The 3-field record of the benchmarks: 24 bytes, the size of a small market-data tick.
 *
 * @param a first field
 * @param b second field
 * @param c third field
 */
public record Triple(long a, long b, long c) {
}
