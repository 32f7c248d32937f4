package io.ipcarc;

/**
 * A writable, bounds-checked, zero-copy view of bytes in shared memory: what
 * {@link SharedView} reads, plus plain stores, release and volatile stores, and atomics
 * (compare-and-set, get-and-add).
 *
 * <p>Plain stores have no ordering guarantees and are meant to be used under the segment's lock.
 * The methods whose name says an ordering ({@code putLongRelease}, {@code compareAndSetLong},
 * {@code getAndAddLong}) are atomic and order memory as their names say, across processes too;
 * their offsets must be naturally aligned (8 for long, 4 for int), otherwise they throw
 * {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * try (Guard<byte[]> g = arc.acquire()) {
 *     SharedBuffer b = g.buffer();
 *     b.putLong(0, 42L);
 *     b.putLongRelease(8, 1L);   // publish
 * }
 * }</pre>
 */
public interface SharedBuffer extends SharedView {
    /**
     * A heap array used like shared memory: native byte order, checked bounds, the same accessors
     * (ordered and atomic ones on naturally aligned offsets), and movable windows. For values
     * built or decoded off the segment, and for tests.
     *
     * @param bytes the array, not copied
     * @return a buffer over all of it
     */
    static SharedBuffer wrap(byte[] bytes) {
        return new HeapView(java.util.Objects.requireNonNull(bytes, "bytes"));
    }


    /**
     * A writable sub-view of this view, sharing its memory and its validity.
     *
     * @param offset start of the sub-view within this view
     * @param length length of the sub-view
     * @return the sub-view
     */
    @Override
    SharedBuffer slice(int offset, int length);

    /**
     * A movable window of {@code length} bytes over this buffer, starting at offset 0: a
     * flyweight ({@link SharedWindow}).
     *
     * @param length the window's capacity, at most this buffer's
     * @return a new window
     * @throws UnsupportedOperationException if this buffer cannot make windows
     */
    default SharedWindow window(int length) {
        throw new UnsupportedOperationException("this buffer makes no windows: " + getClass().getName());
    }

    /**
     * Stores a byte (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the byte to store
     */
    void putByte(int offset, byte value);

    /**
     * Stores a short in native byte order (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the short to store
     */
    void putShort(int offset, short value);

    /**
     * Stores a char in native byte order (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the char to store
     */
    void putChar(int offset, char value);

    /**
     * Stores an int in native byte order (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the int to store
     */
    void putInt(int offset, int value);

    /**
     * Stores a long in native byte order (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the long to store
     */
    void putLong(int offset, long value);

    /**
     * Stores a float in native byte order (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the float to store
     */
    void putFloat(int offset, float value);

    /**
     * Stores a double in native byte order (plain store, no ordering).
     *
     * @param offset byte offset
     * @param value the double to store
     */
    void putDouble(int offset, double value);

    /**
     * Copies bytes into shared memory.
     *
     * @param offset where to start writing in this view
     * @param src the source array
     * @param srcOffset where to start reading in {@code src}
     * @param length how many bytes to copy
     */
    void putBytes(int offset, byte[] src, int srcOffset, int length);

    /**
     * Fills a range with one byte value.
     *
     * @param offset where to start
     * @param length how many bytes
     * @param value the byte to store
     */
    void setMemory(int offset, int length, byte value);

    /**
     * Writes a long with release ordering: earlier reads and writes of this thread are not
     * moved after it.
     *
     * @param offset 8-aligned byte offset
     * @param value the value to store
     */
    void putLongRelease(int offset, long value);

    /**
     * Writes a long with volatile (sequentially consistent) ordering.
     *
     * @param offset 8-aligned byte offset
     * @param value the value to store
     */
    void putLongVolatile(int offset, long value);

    /**
     * Atomically sets the long to {@code update} if it equals {@code expected}.
     *
     * @param offset 8-aligned byte offset
     * @param expected the expected current value
     * @param update the new value
     * @return whether the value was updated
     */
    boolean compareAndSetLong(int offset, long expected, long update);

    /**
     * Atomically adds to the long and returns its previous value.
     *
     * @param offset 8-aligned byte offset
     * @param delta what to add
     * @return the value before the addition
     */
    long getAndAddLong(int offset, long delta);

    /**
     * Writes an int with release ordering.
     *
     * @param offset 4-aligned byte offset
     * @param value the value to store
     */
    void putIntRelease(int offset, int value);

    /**
     * Writes an int with volatile ordering.
     *
     * @param offset 4-aligned byte offset
     * @param value the value to store
     */
    void putIntVolatile(int offset, int value);

    /**
     * Atomically sets the int to {@code update} if it equals {@code expected}.
     *
     * @param offset 4-aligned byte offset
     * @param expected the expected current value
     * @param update the new value
     * @return whether the value was updated
     */
    boolean compareAndSetInt(int offset, int expected, int update);

    /**
     * Atomically adds to the int and returns its previous value.
     *
     * @param offset 4-aligned byte offset
     * @param delta what to add
     * @return the value before the addition
     */
    int getAndAddInt(int offset, int delta);

}
