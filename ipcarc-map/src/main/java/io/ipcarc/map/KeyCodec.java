package io.ipcarc.map;

import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a map hashes, compares and stores keys of one type: by their stored bytes (the key type's
 * layout, zero-padded to a multiple of 8), so that two keys are the same exactly when their
 * bytes are, in Java, C or Python. {@code Long} and {@code Integer} keys are one word and need no
 * scratch; strings and records are encoded into the calling thread's scratch array first
 * ({@link #hash} does it; {@link #matches} and {@link #write} use what it left there).
 *
 * @param <K> the key type
 */
abstract class KeyCodec<K> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final ShmType<K> type;
    /** Bytes of a stored key: its size rounded up to a multiple of 8. */
    final int stride;

    KeyCodec(ShmType<K> type) {
        this.type = type;
        this.stride = MapDescriptor.align(type.size(), 8);
    }

    /**
     * The codec of a key type.
     *
     * @throws IllegalArgumentException if the type cannot be a key
     */
    @SuppressWarnings("unchecked")
    static <K> KeyCodec<K> of(ShmType<K> type) {
        String why = refusal(type.layout());
        if (why != null) {
            throw new IllegalArgumentException("type cannot be a map key: type=" + type.descriptor() + " (" + why
                    + "; keys are Long, Integer, other integers, strings of a declared capacity, enums, and records and arrays"
                    + " of those)");
        }
        if (type.layout() instanceof ShmLayout.Scalar s && s.kind() == ShmLayout.Kind.I64) {
            return (KeyCodec<K>) new LongKeys((ShmType<Long>) type);
        }
        if (type.layout() instanceof ShmLayout.Scalar s && s.kind() == ShmLayout.Kind.I32) {
            return (KeyCodec<K>) new IntKeys((ShmType<Integer>) type);
        }
        if (type.layout() instanceof ShmLayout.Utf8 u) {
            return (KeyCodec<K>) new StringKeys((ShmType<String>) type, u.capacity());
        }
        return new EncodedKeys<>(type);
    }

    /** @return why a layout cannot be a key, or {@code null} if it can */
    private static String refusal(ShmLayout l) {
        if (l instanceof ShmLayout.Scalar s) {
            return s.kind() == ShmLayout.Kind.F32 || s.kind() == ShmLayout.Kind.F64
                    ? "floating-point keys compare by bits, where 0.0 and -0.0 differ and NaNs are many" : null;
        }
        if (l instanceof ShmLayout.Utf8 || l instanceof ShmLayout.Enumeration) {
            return null;
        }
        if (l instanceof ShmLayout.Array a) {
            return refusal(a.elementLayout());
        }
        if (l instanceof ShmLayout.Struct st) {
            for (ShmLayout.Member m : st.members()) {
                String why = refusal(m.layout());
                if (why != null) {
                    return "field " + m.name() + ": " + why;
                }
            }
            return null;
        }
        return "raw byte regions are not keys";
    }

    /** @return whether {@link #hash} needs the thread's scratch array */
    abstract boolean usesScratch();

    /**
     * Hashes a key (encoding it into {@code scratch} first when the codec needs it).
     *
     * @throws IllegalArgumentException if the key cannot be stored (a string too long, say)
     */
    abstract long hash(K key, byte[] scratch);

    /** Whether the key stored at {@code offset} is {@code key}, as {@link #hash} left it in {@code scratch}. */
    abstract boolean matches(SharedView b, int offset, K key, byte[] scratch);

    /** Stores the key (all {@link #stride} bytes), as {@link #hash} left it in {@code scratch}. */
    abstract void write(SharedBuffer b, int offset, K key, byte[] scratch);

    /** Reads a stored key. */
    final K read(SharedView b, int offset) {
        return type.read(b, offset);
    }

    /** Compares stored bytes with the scratch's, a word at a time. */
    final boolean sameBytes(SharedView b, int offset, byte[] scratch) {
        for (int i = 0; i < stride; i += 8) {
            if (b.getLong(offset + i) != (long) LONGS.get(scratch, i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code Long} keys: the long itself is the stored word. */
    static final class LongKeys extends KeyCodec<Long> {
        LongKeys(ShmType<Long> type) {
            super(type);
        }

        @Override
        boolean usesScratch() {
            return false;
        }

        @Override
        long hash(Long key, byte[] scratch) {
            return MapHash.ofWord(key);
        }

        @Override
        boolean matches(SharedView b, int offset, Long key, byte[] scratch) {
            return b.getLong(offset) == key;
        }

        @Override
        void write(SharedBuffer b, int offset, Long key, byte[] scratch) {
            b.putLong(offset, key);
        }
    }

    /** {@code Integer} keys: four bytes and four zero bytes, one word. */
    static final class IntKeys extends KeyCodec<Integer> {
        IntKeys(ShmType<Integer> type) {
            super(type);
        }

        @Override
        boolean usesScratch() {
            return false;
        }

        @Override
        long hash(Integer key, byte[] scratch) {
            return MapHash.ofWord(key & 0xFFFFFFFFL);
        }

        @Override
        boolean matches(SharedView b, int offset, Integer key, byte[] scratch) {
            return b.getLong(offset) == (key & 0xFFFFFFFFL);
        }

        @Override
        void write(SharedBuffer b, int offset, Integer key, byte[] scratch) {
            b.putLong(offset, key & 0xFFFFFFFFL); // little-endian: the int, then four zero bytes
        }
    }

    /** Strings of a declared capacity: UTF-8, NUL-padded, encoded without allocating. */
    static final class StringKeys extends KeyCodec<String> {
        private final int capacity;

        StringKeys(ShmType<String> type, int capacity) {
            super(type);
            this.capacity = capacity;
        }

        @Override
        boolean usesScratch() {
            return true;
        }

        @Override
        long hash(String key, byte[] scratch) {
            Objects.requireNonNull(key, "key");
            Arrays.fill(scratch, 0, stride, (byte) 0);
            encode(key, scratch, capacity);
            return MapHash.of(scratch, stride);
        }

        @Override
        boolean matches(SharedView b, int offset, String key, byte[] scratch) {
            return sameBytes(b, offset, scratch);
        }

        @Override
        void write(SharedBuffer b, int offset, String key, byte[] scratch) {
            b.putBytes(offset, scratch, 0, stride);
        }

        /** UTF-8 of {@code s} into {@code out}, refusing what a {@code @ShmString} refuses. */
        static void encode(String s, byte[] out, int capacity) {
            int j = 0;
            int n = s.length();
            for (int i = 0; i < n; i++) {
                int c = s.charAt(i);
                if (Character.isSurrogate((char) c)) {
                    if (!Character.isHighSurrogate((char) c) || i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                        throw new IllegalArgumentException("key is not valid UTF-16 (a lone surrogate): index=" + i);
                    }
                    c = Character.toCodePoint((char) c, s.charAt(++i));
                } else if (c == 0) {
                    throw new IllegalArgumentException("key contains U+0000, which a stored string cannot hold: index=" + i);
                }
                int len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
                if (j + len > capacity) {
                    throw new IllegalArgumentException("key too long for its capacity: capacity=" + capacity + ", length="
                            + (j + len + utf8Length(s, i + 1)) + " (bytes of UTF-8)");
                }
                if (len == 1) {
                    out[j++] = (byte) c;
                } else {
                    int lead = len == 2 ? 0xc0 : len == 3 ? 0xe0 : 0xf0;
                    out[j++] = (byte) (lead | (c >> (6 * (len - 1))));
                    for (int k = len - 2; k >= 0; k--) {
                        out[j++] = (byte) (0x80 | ((c >> (6 * k)) & 0x3f));
                    }
                }
            }
        }

        private static int utf8Length(String s, int from) {
            int bytes = 0;
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 2 : 3;
            }
            return bytes;
        }
    }

    /** Records, enums, arrays and small integers: encoded by the type itself into the scratch array. */
    static final class EncodedKeys<K> extends KeyCodec<K> {
        EncodedKeys(ShmType<K> type) {
            super(type);
        }

        @Override
        boolean usesScratch() {
            return true;
        }

        @Override
        long hash(K key, byte[] scratch) {
            Objects.requireNonNull(key, "key");
            Arrays.fill(scratch, 0, stride, (byte) 0); // padding between fields hashes and compares as zeros
            type.write(new ScratchBuffer(scratch), 0, key);
            return MapHash.of(scratch, stride);
        }

        @Override
        boolean matches(SharedView b, int offset, K key, byte[] scratch) {
            return sameBytes(b, offset, scratch);
        }

        @Override
        void write(SharedBuffer b, int offset, K key, byte[] scratch) {
            b.putBytes(offset, scratch, 0, stride);
        }
    }
}
