package io.ipcarc.examples;

import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.ShmString;
import io.ipcarc.ShmType;
import java.nio.charset.StandardCharsets;

/**
 * The simulated market-data tick of the seed system: the entry type of the example apps' ring.
 * With the ring's 8-byte stamp a slot is 64 bytes, laid out as the seed's entry was (stamp, seq,
 * then the 48-byte tick body).
 *
 * <pre>
 * +0  seq           i64  the entry's sequence
 * +8  timestamp_ns  i64  writer's clock, ns since the epoch (not a function of seq)
 * +16 symbol        utf8[8]  a string of up to 8 bytes, NUL-padded (ASCII here)
 * +24 price         i64  in units of 1e-4
 * +32 quantity      i64
 * +40 checksum      u64  mix(seq ^ timestamp ^ symbol ^ price ^ quantity), the symbol's 8 bytes
 *                         read as a little-endian u64
 * +48 reserved      0
 * </pre>
 *
 * Symbol, price and quantity are a pure function of seq: with {@code h = splitmix64(seq)},
 * symbol is {@code SYMBOLS[h >>> 61]}, price is {@code 1_000_000 + (h >>> 32) % 9_000_000}
 * (100.0000 to 999.9999) and quantity is {@code 1 + (h & 0xffff) % 1000}. Any consumer can
 * therefore tell a torn or mixed entry from a good one. The apps write and read ticks in place
 * through the offsets below (no allocation per entry); {@link #TYPE} decodes whole records.
 *
 * @param seq the entry's sequence
 * @param timestampNs writer's clock
 * @param symbol the symbol, a string component ({@code @ShmString(8)}): its bytes are those the
 *     seed packed by hand into a long, so the entry's bytes and the CSV did not change
 * @param price price in units of 1e-4
 * @param quantity quantity
 * @param checksum the checksum of the other fields
 * @param reserved 0
 */
public record Tick(long seq, long timestampNs, @ShmString(8) String symbol, long price, long quantity, long checksum,
                   long reserved) {
    /** The entry type of the apps' ring. */
    public static final ShmType<Tick> TYPE = ShmType.of(Tick.class);
    static final String CSV_HEADER = "seq,timestamp_ns,symbol,price,quantity";
    static final int SEQ = 0;
    static final int TIMESTAMP = 8;
    static final int SYMBOL = 16;
    static final int PRICE = 24;
    static final int QUANTITY = 32;
    static final int CHECKSUM = 40;
    static final int RESERVED = 48;

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

    static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int symbolIndex(long h) {
        return (int) (h >>> 61);
    }

    private static long priceOf(long h) {
        return 1_000_000 + Long.remainderUnsigned(h >>> 32, 9_000_000);
    }

    private static long quantityOf(long h) {
        return 1 + (h & 0xffff) % 1000;
    }

    static String symbol(long seq) {
        return SYMBOLS[symbolIndex(mix(seq))];
    }

    static long price(long seq) {
        return priceOf(mix(seq));
    }

    static long quantity(long seq) {
        return quantityOf(mix(seq));
    }

    static long checksum(long seq, long timestamp, long symbolWord, long price, long quantity) {
        return mix(seq ^ timestamp ^ symbolWord ^ price ^ quantity);
    }

    /**
     * Returns the correct tick of {@code seq} with this timestamp.
     *
     * @return the correct tick of {@code seq} with this timestamp
     */
    static Tick of(long seq, long timestampNs) {
        long h = mix(seq);
        int s = symbolIndex(h);
        long price = priceOf(h);
        long qty = quantityOf(h);
        return new Tick(seq, timestampNs, SYMBOLS[s], price, qty, checksum(seq, timestampNs, SYMBOL_WORDS[s], price, qty), 0);
    }

    /** Writes the tick for {@code seq} into a ring entry, in place. */
    static void write(SharedBuffer e, long seq, long timestampNs) {
        long h = mix(seq);
        long sym = SYMBOL_WORDS[symbolIndex(h)];
        long price = priceOf(h);
        long qty = quantityOf(h);
        e.putLong(SEQ, seq);
        e.putLong(TIMESTAMP, timestampNs);
        e.putLong(SYMBOL, sym);
        e.putLong(PRICE, price);
        e.putLong(QUANTITY, qty);
        e.putLong(CHECKSUM, checksum(seq, timestampNs, sym, price, qty));
        e.putLong(RESERVED, 0);
    }

    /**
     * Checks an entry against the sequence the ring delivered it under.
     *
     * @return null if good, else what is wrong
     */
    static String check(SharedView e, long seq) {
        long h = mix(seq);
        long sym = e.getLong(SYMBOL);
        long price = e.getLong(PRICE);
        long qty = e.getLong(QUANTITY);
        if (e.getLong(SEQ) != seq || sym != SYMBOL_WORDS[symbolIndex(h)] || price != priceOf(h) || qty != quantityOf(h)) {
            return "fields do not match seq";
        }
        if (e.getLong(CHECKSUM) != checksum(seq, e.getLong(TIMESTAMP), sym, price, qty)) {
            return "checksum mismatch";
        }
        return null;
    }

    /**
     * Appends the CSV line of an entry to {@code out} at {@code pos}, without allocating, reading
     * each field of the entry once, and checks the entry against its sequence on the way.
     *
     * @return the position after the line if the entry is good; if it is not (the line is
     *     written all the same), the complement {@code ~position}, negative: {@link #check} says why
     */
    static int formatCsv(SharedView e, long seq, byte[] out, int pos) {
        long h = mix(seq);
        int s = symbolIndex(h);
        long timestamp = e.getLong(TIMESTAMP);
        long sym = e.getLong(SYMBOL);
        long price = e.getLong(PRICE);
        long qty = e.getLong(QUANTITY);
        boolean good = e.getLong(SEQ) == seq && sym == SYMBOL_WORDS[s] && price == priceOf(h) && qty == quantityOf(h)
                && e.getLong(CHECKSUM) == checksum(seq, timestamp, sym, price, qty);
        pos = putLong(out, pos, seq);
        out[pos++] = ',';
        pos = putLong(out, pos, timestamp);
        out[pos++] = ',';
        byte[] symbol = SYMBOL_BYTES[s];
        System.arraycopy(symbol, 0, out, pos, symbol.length);
        pos += symbol.length;
        out[pos++] = ',';
        pos = putLong(out, pos, price / 10_000);
        out[pos++] = '.';
        int frac = (int) (price % 10_000);
        out[pos++] = (byte) ('0' + frac / 1000);
        out[pos++] = (byte) ('0' + frac / 100 % 10);
        out[pos++] = (byte) ('0' + frac / 10 % 10);
        out[pos++] = (byte) ('0' + frac % 10);
        out[pos++] = ',';
        pos = putLong(out, pos, qty);
        out[pos++] = '\n';
        return good ? pos : ~pos;
    }

    /** The longest CSV line plus its newline. */
    static final int MAX_LINE = 20 + 1 + 20 + 1 + 8 + 1 + 25 + 1 + 20 + 1;

    /** "00" to "99", for writing two digits at a time. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

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
        int end = pos + digits(v);
        int i = end;
        while (v >= 100) {
            int pair = (int) (v % 100) * 2;
            v /= 100;
            out[--i] = DIGIT_PAIRS[pair + 1];
            out[--i] = DIGIT_PAIRS[pair];
        }
        if (v >= 10) {
            out[--i] = DIGIT_PAIRS[(int) v * 2 + 1];
            out[--i] = DIGIT_PAIRS[(int) v * 2];
        } else {
            out[--i] = (byte) ('0' + v);
        }
        return end;
    }

    /**
     * Returns the number of decimal digits of {@code v >= 0}.
     *
     * @return the number of decimal digits of {@code v >= 0}
     */
    private static int digits(long v) {
        int d = 1;
        for (long p = 10; d < 19 && v >= p; p *= 10) {
            d++;
        }
        return d;
    }

    /**
     * The CSV line (without newline) that a correct tick of {@code seq} with this timestamp has.
     */
    static String expectedLine(long seq, long timestamp) {
        long price = price(seq);
        long frac = price % 10_000;
        StringBuilder sb = new StringBuilder(64).append(seq).append(',').append(timestamp).append(',').append(symbol(seq))
                .append(',').append(price / 10_000).append('.');
        if (frac < 1000) {
            sb.append('0');
        }
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        return sb.append(frac).append(',').append(quantity(seq)).toString();
    }
}
