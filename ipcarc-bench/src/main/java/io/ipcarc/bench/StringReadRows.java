package io.ipcarc.bench;

import io.ipcarc.IpcArc;
import io.ipcarc.ShmString;

/**
 * The row of issue 21: {@code read()} of a record with one 16-byte string field against the same
 * record with two {@code long}s in its place (both 32 bytes, crash-atomic), timed by
 * {@link RatioHarness} in alternating batches; the floor is a ratio of at most 2.
 */
final class StringReadRows {
    /** The ratio's key. */
    static final String RATIO = "readString16/readTwoLongs";

    /**
     * A quote with its symbol as a string.
     *
     * @param seq a sequence
     * @param symbol up to 16 bytes of UTF-8
     * @param price a price
     */
    public record StringQuote(long seq, @ShmString(16) String symbol, long price) {
    }

    /**
     * The same quote with two longs in the symbol's place.
     *
     * @param seq a sequence
     * @param symbolLow the symbol's first 8 bytes
     * @param symbolHigh its last 8 bytes
     * @param price a price
     */
    public record LongsQuote(long seq, long symbolLow, long symbolHigh, long price) {
    }

    private StringReadRows() {
    }

    /**
     * Reads a string quote {@code batch} times.
     *
     * @return ns per read
     */
    static double readString(IpcArc<StringQuote> arc, int batch) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += arc.read().symbol().length();
        }
        double ns = (System.nanoTime() - t0) / (double) batch;
        return sum == 42 ? ns + 0 : ns;
    }

    /**
     * Reads a two-longs quote {@code batch} times.
     *
     * @return ns per read
     */
    static double readLongs(IpcArc<LongsQuote> arc, int batch) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += arc.read().symbolLow();
        }
        double ns = (System.nanoTime() - t0) / (double) batch;
        return sum == 42 ? ns + 0 : ns;
    }
}
