package io.ipcarc.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The key hash of layout version 1 ({@link MapDescriptor#HASH_FUNCTION} 1), which every peer
 * computes the same way to find a key: over the key's stored bytes, zero-padded to a multiple of
 * 8, read as little-endian 64-bit words {@code w0, w1, ...}:
 *
 * <pre>
 * h = 0x9E3779B97F4A7C15
 * for each word w:  h = h ^ w;  h = h * 0xBF58476D1CE4E5B9;  h = h ^ (h >>> 31)
 * h = h ^ (h >>> 30);  h = h * 0xBF58476D1CE4E5B9
 * h = h ^ (h >>> 27);  h = h * 0x94D049BB133111EB
 * h = h ^ (h >>> 31)
 * </pre>
 *
 * (arithmetic modulo 2^64, {@code >>>} unsigned). The map uses its upper 32 bits,
 * {@code hash32 = h >>> 32}: the home slot is {@code (hash32 * T) >>> 32} and the index word's tag is
 * the low {@code 32 - B} bits of hash32. docs/map.md lists test vectors.
 */
public final class MapHash {
    /** The initial value. */
    public static final long SEED = 0x9E3779B97F4A7C15L;
    /** The multiplier of each word's step and of the first finishing step. */
    public static final long M1 = 0xBF58476D1CE4E5B9L;
    /** The multiplier of the second finishing step. */
    public static final long M2 = 0x94D049BB133111EBL;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private MapHash() {
    }

    /**
     * One word's step.
     *
     * @param h the hash so far
     * @param word the next little-endian 64-bit word of the key
     * @return the hash so far
     */
    public static long step(long h, long word) {
        h ^= word;
        h *= M1;
        return h ^ (h >>> 31);
    }

    /**
     * The finishing steps.
     *
     * @param h the hash after the last word
     * @return the key's hash
     */
    public static long finish(long h) {
        h ^= h >>> 30;
        h *= M1;
        h ^= h >>> 27;
        h *= M2;
        return h ^ (h >>> 31);
    }

    /**
     * The hash of a key stored in one word (a {@code long}, or an {@code int} zero-extended).
     *
     * @param word the key's 8 bytes as a little-endian word
     * @return its hash
     */
    public static long ofWord(long word) {
        return finish(step(SEED, word));
    }

    /**
     * The hash of a key's stored bytes.
     *
     * @param bytes the key's bytes, zero-padded
     * @param length bytes to hash, a multiple of 8
     * @return its hash
     */
    public static long of(byte[] bytes, int length) {
        long h = SEED;
        for (int i = 0; i < length; i += 8) {
            h = step(h, (long) LONGS.get(bytes, i));
        }
        return finish(h);
    }

    /**
     * The 32 bits of a hash the map keeps.
     *
     * @param hash a key's hash
     * @return its upper 32 bits
     */
    public static int hash32(long hash) {
        return (int) (hash >>> 32);
    }
}
