package io.ipcarc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads and writes in-place strings ({@link ShmLayout.Utf8}): UTF-8 bytes, NUL-padded to the
 * capacity. Reading copies the bytes once, finds the first NUL and whether every byte is ASCII
 * eight bytes at a time, and builds the {@code String} from them (ASCII directly as Latin-1;
 * other text after a strict UTF-8 check).
 */
final class Utf8Codec {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Utf8Codec() {
    }

    /**
     * Reads a string.
     *
     * @param b the memory
     * @param offset where the string starts
     * @param capacity its capacity in bytes
     * @param what the component, for the message ({@code class=..., component=...})
     * @return the string
     * @throws CorruptSegmentException if the bytes are not UTF-8
     */
    static String read(SharedView b, int offset, int capacity, String what) {
        // Eight bytes per load, checked for the first NUL and for non-ASCII bytes as they are copied.
        byte[] bytes = new byte[capacity];
        long highs = 0;
        int length = -1;
        int i = 0;
        for (; i + 8 <= capacity; i += 8) {
            long w = b.getLong(offset + i); // native order: little-endian on every supported platform
            LONGS.set(bytes, i, w);
            long zero = (w - ONES) & ~w & HIGHS;
            if (zero != 0) {
                int k = Long.numberOfTrailingZeros(zero) >>> 3;
                length = i + k;
                highs |= k == 0 ? 0 : w & (-1L >>> (64 - 8 * k));
                break;
            }
            highs |= w;
        }
        if (length < 0) {
            for (; i < capacity; i++) {
                byte c = b.getByte(offset + i);
                if (c == 0) {
                    break;
                }
                bytes[i] = c;
                highs |= c & 0x80;
            }
            length = i;
        }
        if ((highs & HIGHS) == 0) {
            return ascii(bytes, length);
        }
        return decode(bytes, length, capacity, what);
    }

    /** ASCII bytes as a string: Latin-1, one copy (the constructor that JIT compilers inline whole). */
    @SuppressWarnings("deprecation")
    private static String ascii(byte[] bytes, int length) {
        return new String(bytes, 0, 0, length);
    }

    /** The rest of {@link #read}: bytes that are not all ASCII, checked strictly. */
    private static String decode(byte[] bytes, int length, int capacity, String what) {
        int bad = malformedAt(bytes, length);
        if (bad >= 0) {
            throw new CorruptSegmentException("stored string is not UTF-8: " + what + ", capacity=" + capacity
                    + ", index=" + bad + " (written by another program, or damaged)", null);
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * Where a run of bytes stops being strict UTF-8 (no overlong forms, no surrogates, at most
     * U+10FFFF, no truncated sequence).
     *
     * @return the index of the first byte of the bad sequence, or -1 if all is well
     */
    static int malformedAt(byte[] b, int length) {
        int i = 0;
        while (i < length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + n >= length) {
                return i;
            }
            int cp = c & (0x3f >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += n + 1;
        }
        return -1;
    }

    /**
     * Checks that a string can be stored, before anything is written.
     *
     * @return its length in bytes of UTF-8
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it is too long, holds U+0000 or a lone surrogate
     */
    static int check(String s, int capacity, String what) {
        Objects.requireNonNull(s, () -> "string is null: " + what + " (null is not stored; use \"\")");
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("string contains U+0000, which its NUL-padded layout cannot hold: "
                        + what + ", index=" + i);
            }
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("string has a lone surrogate, which UTF-8 cannot hold: " + what
                        + ", index=" + i);
            } else {
                bytes += 3;
            }
        }
        if (bytes > capacity) {
            throw new IllegalArgumentException("string too long for its capacity: " + what + ", capacity=" + capacity
                    + ", length=" + bytes + " (bytes of UTF-8; nothing was written)");
        }
        return bytes;
    }

    /**
     * Writes a string checked by {@link #check}: its UTF-8 bytes, then NULs up to the capacity.
     */
    static void write(SharedBuffer b, int offset, int capacity, String s, String what) {
        check(s, capacity, what);
        byte[] out = new byte[capacity];
        encode(s, out);
        b.putBytes(offset, out, 0, capacity);
    }

    /** UTF-8 of a checked string into {@code out}; the rest stays zero. */
    static int encode(CharSequence s, byte[] out) {
        int j = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[j++] = (byte) c;
            } else if (c < 0x800) {
                out[j++] = (byte) (0xc0 | (c >> 6));
                out[j++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[j++] = (byte) (0xf0 | (cp >> 18));
                out[j++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[j++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[j++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                out[j++] = (byte) (0xe0 | (c >> 12));
                out[j++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[j++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return j;
    }
}
