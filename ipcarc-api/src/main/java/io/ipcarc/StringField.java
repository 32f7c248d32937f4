package io.ipcarc;

import java.util.Objects;

/**
 * One in-place string field of a record type ({@code @ShmString(n) String}), read straight from
 * shared memory without building a {@code String}: its length, a copy of its UTF-8 bytes into a
 * caller's buffer, or a comparison. Every method takes a view whose offset 0 is the start of the
 * record (a guard's or an arc's {@link SharedBuffer}, a ring entry), and allocates nothing.
 *
 * <pre>{@code
 * record Quote(@ShmString(8) String symbol, long price) {}
 * StringField symbol = ShmType.of(Quote.class).stringField("symbol");
 * byte[] utf8 = new byte[symbol.capacity()];
 * SharedView quote = SharedView.wrap(new byte[16]);         // e.g. a ring entry
 * int n = symbol.copyTo(quote, utf8, 0);                     // bytes of UTF-8 copied
 * boolean apple = symbol.contentEquals(quote, "AAPL");
 * }</pre>
 *
 * <p>Like every plain load of shared memory, the bytes are consistent only under the lock, in a
 * ring entry handed to a handler, or when the caller validates them otherwise.
 */
public final class StringField {
    private final String path;
    private final int offset;
    private final int capacity;

    StringField(String path, int offset, int capacity) {
        this.path = path;
        this.offset = offset;
        this.capacity = capacity;
    }

    /**
     * The field's path in its record.
     *
     * @return for example {@code symbol} or {@code origin.name}
     */
    public String path() {
        return path;
    }

    /**
     * Where the field starts in its record.
     *
     * @return the offset in bytes
     */
    public int offset() {
        return offset;
    }

    /**
     * The field's capacity.
     *
     * @return bytes of UTF-8 it can hold
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The length of the stored string.
     *
     * @param record a view of the record
     * @return its length in bytes of UTF-8 (the bytes before the first NUL)
     */
    public int length(SharedView record) {
        int i = 0;
        for (; i + 8 <= capacity; i += 8) {
            long w = record.getLong(offset + i); // native order: little-endian on every supported platform
            long zero = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        while (i < capacity && record.getByte(offset + i) != 0) {
            i++;
        }
        return i;
    }

    /**
     * Copies the stored UTF-8 bytes (without the NUL padding) into a caller's buffer.
     *
     * @param record a view of the record
     * @param dst where to copy them
     * @param dstOffset where to start in {@code dst}
     * @return how many bytes were copied: the string's length in bytes of UTF-8
     * @throws IndexOutOfBoundsException if {@code dst} has no room for them
     */
    public int copyTo(SharedView record, byte[] dst, int dstOffset) {
        int n = length(record);
        Objects.checkFromIndexSize(dstOffset, n, dst.length);
        record.getBytes(offset, dst, dstOffset, n);
        return n;
    }

    /**
     * Whether the stored string equals some UTF-8 bytes.
     *
     * @param record a view of the record
     * @param utf8 the bytes to compare with
     * @return true if the stored string has exactly these bytes
     */
    public boolean contentEquals(SharedView record, byte[] utf8) {
        int n = utf8.length;
        if (n > capacity || (n < capacity && record.getByte(offset + n) != 0)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (utf8[i] == 0 || record.getByte(offset + i) != utf8[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the stored string equals some text, encoding it on the fly.
     *
     * @param record a view of the record
     * @param text the text to compare with
     * @return true if the stored string is that text
     */
    public boolean contentEquals(SharedView record, CharSequence text) {
        int j = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            int cp = text.charAt(i);
            if (Character.isHighSurrogate((char) cp) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint((char) cp, text.charAt(++i));
            }
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (cp == 0 || j + len > capacity) {
                return false;
            }
            if (len == 1) {
                if (record.getByte(offset + j) != cp) {
                    return false;
                }
            } else {
                int lead = len == 2 ? 0xc0 : len == 3 ? 0xe0 : 0xf0;
                if ((record.getByte(offset + j) & 0xff) != (lead | (cp >> (6 * (len - 1))))) {
                    return false;
                }
                for (int k = 1; k < len; k++) {
                    if ((record.getByte(offset + j + k) & 0xff) != (0x80 | ((cp >> (6 * (len - 1 - k))) & 0x3f))) {
                        return false;
                    }
                }
            }
            j += len;
        }
        return j == capacity || record.getByte(offset + j) == 0;
    }

    /**
     * Builds the stored string.
     *
     * @param record a view of the record
     * @return the string
     * @throws CorruptSegmentException if the stored bytes are not UTF-8
     */
    public String read(SharedView record) {
        return Utf8Codec.read(record, offset, capacity, "field=" + path);
    }

    @Override
    public String toString() {
        return "StringField[" + path + ", offset=" + offset + ", capacity=" + capacity + "]";
    }
}
