package io.ipcarc.examples;

import io.ipcarc.SharedBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The simulated market-data tick carried in a ring entry's 48-byte body, and its CSV form.
 *
 * <pre>
 * body +0  timestamp_ns  i64  writer's clock, ns since the epoch (not a function of seq)
 *      +8  symbol        i64  8 ASCII bytes, NUL-padded
 *      +16 price         i64  in units of 1e-4
 *      +24 quantity      i64
 *      +32 checksum      u64  mix(seq ^ timestamp ^ symbol ^ price ^ quantity)
 *      +40 reserved      0
 * </pre>
 *
 * Symbol, price and quantity are a pure function of seq: with {@code h = splitmix64(seq)},
 * symbol is {@code SYMBOLS[h >>> 61]}, price is {@code 1_000_000 + (h >>> 32) % 9_000_000}
 * (100.0000 to 999.9999) and quantity is {@code 1 + (h & 0xffff) % 1000}. Any consumer can
 * therefore tell a torn or mixed entry from a good one.
 */
final class Tick {
    static final String CSV_HEADER = "seq,timestamp_ns,symbol,price,quantity";
    static final int TIMESTAMP = 0;
    static final int SYMBOL = 8;
    static final int PRICE = 16;
    static final int QUANTITY = 24;
    static final int CHECKSUM = 32;
    static final int RESERVED = 40;

    private static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"};
    private static final long[] SYMBOL_WORDS = new long[SYMBOLS.length];
    private static final byte[][] SYMBOL_BYTES = new byte[SYMBOLS.length][];

    static {
        for (int i = 0; i < SYMBOLS.length; i++) {
            byte[] b = SYMBOLS[i].getBytes(StandardCharsets.US_ASCII);
            SYMBOL_BYTES[i] = b;
            long w = 0;
            for (int j = 0; j < b.length; j++) {
                w |= (long) (b[j] & 0xff) << (8 * j);
            }
            SYMBOL_WORDS[i] = w;
        }
    }

    private Tick() {
    }

    static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static int symbolIndex(long seq) {
        return (int) (mix(seq) >>> 61);
    }

    static String symbol(long seq) {
        return SYMBOLS[symbolIndex(seq)];
    }

    static long price(long seq) {
        return 1_000_000 + Long.remainderUnsigned(mix(seq) >>> 32, 9_000_000);
    }

    static long quantity(long seq) {
        return 1 + (mix(seq) & 0xffff) % 1000;
    }

    static long checksum(long seq, long timestamp, long symbolWord, long price, long quantity) {
        return mix(seq ^ timestamp ^ symbolWord ^ price ^ quantity);
    }

    /** Writes the tick for {@code seq} into a ring entry body. */
    static void write(SharedBuffer buf, int body, long seq, long timestampNanos) {
        int s = symbolIndex(seq);
        long price = price(seq);
        long qty = quantity(seq);
        buf.putLong(body + TIMESTAMP, timestampNanos);
        buf.putLong(body + SYMBOL, SYMBOL_WORDS[s]);
        buf.putLong(body + PRICE, price);
        buf.putLong(body + QUANTITY, qty);
        buf.putLong(body + CHECKSUM, checksum(seq, timestampNanos, SYMBOL_WORDS[s], price, qty));
        buf.putLong(body + RESERVED, 0);
    }

    /**
     * Checks a copied entry (8 longs: stamp, seq, then the body) against its seq.
     *
     * @return null if good, else what is wrong
     */
    static String check(long seq, long[] e) {
        int s = symbolIndex(seq);
        if (e[2 + SYMBOL / 8] != SYMBOL_WORDS[s] || e[2 + PRICE / 8] != price(seq) || e[2 + QUANTITY / 8] != quantity(seq)) {
            return "fields do not match seq";
        }
        if (e[2 + CHECKSUM / 8] != checksum(seq, e[2 + TIMESTAMP / 8], e[2 + SYMBOL / 8], e[2 + PRICE / 8], e[2 + QUANTITY / 8])) {
            return "checksum mismatch";
        }
        return null;
    }

    /**
     * Appends the CSV line of a copied entry to {@code out} at {@code pos}, without allocating.
     *
     * @return the position after the line
     */
    static int formatCsv(long seq, long[] e, byte[] out, int pos) {
        pos = putLong(out, pos, seq);
        out[pos++] = ',';
        pos = putLong(out, pos, e[2 + TIMESTAMP / 8]);
        out[pos++] = ',';
        byte[] sym = SYMBOL_BYTES[symbolIndex(seq)];
        System.arraycopy(sym, 0, out, pos, sym.length);
        pos += sym.length;
        out[pos++] = ',';
        long price = e[2 + PRICE / 8];
        pos = putLong(out, pos, price / 10_000);
        out[pos++] = '.';
        long frac = price % 10_000;
        out[pos++] = (byte) ('0' + frac / 1000);
        out[pos++] = (byte) ('0' + frac / 100 % 10);
        out[pos++] = (byte) ('0' + frac / 10 % 10);
        out[pos++] = (byte) ('0' + frac % 10);
        out[pos++] = ',';
        pos = putLong(out, pos, e[2 + QUANTITY / 8]);
        out[pos++] = '\n';
        return pos;
    }

    /** The longest CSV line plus its newline. */
    static final int MAX_LINE = 20 + 1 + 20 + 1 + 8 + 1 + 25 + 1 + 20 + 1;

    private static int putLong(byte[] out, int pos, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                byte[] m = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(m, 0, out, pos, m.length);
                return pos + m.length;
            }
            out[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /**
     * The CSV line (without newline) that a correct tick of {@code seq} with this timestamp has.
     */
    static String expectedLine(long seq, long timestamp) {
        long price = price(seq);
        return seq + "," + timestamp + "," + symbol(seq) + "," + (price / 10_000) + "." + String.format("%04d", price % 10_000)
                + "," + quantity(seq);
    }
}
