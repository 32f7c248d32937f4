package io.ipcarc;

/**
 * A bounds-checked, zero-copy view of bytes in shared memory.
 *
 * <p>Offsets are in bytes from the start of the view; values use the platform's native byte
 * order (little-endian on x86_64 and aarch64), so a C program sees the same values. Every
 * access checks its bounds ({@link IndexOutOfBoundsException}) and that the owning
 * {@link IpcArc} is still open ({@link IllegalStateException}): no access path touches memory
 * that has been unmapped.
 *
 * <p>Plain accessors ({@code getLong}, {@code putLong}, ...) have no ordering guarantees and
 * are meant to be used under the segment's lock. The methods whose name says an ordering
 * ({@code getLongAcquire}, {@code putLongRelease}, {@code compareAndSetLong},
 * {@code getAndAddLong}) are atomic and order memory as their names say, across processes too;
 * their offsets must be naturally aligned (8 for long, 4 for int) relative to the mapping,
 * otherwise they throw {@link IllegalArgumentException}. Views handed out by IpcArc start on a
 * 64-byte boundary, so an offset that is a multiple of 8 is aligned for longs.
 *
 * <pre>{@code
 * try (Guard<byte[]> g = arc.acquire()) {
 *     SharedBuffer b = g.buffer();
 *     b.putLong(0, 42L);
 *     b.putLongRelease(8, 1L);   // publish
 * }
 * }</pre>
 */
public interface SharedBuffer {

    /**
     * The number of bytes in this view.
     *
     * @return the view's length in bytes
     */
    int capacity();

    /**
     * Whether the memory behind this view is still mapped.
     *
     * @return false once the owning arc has been closed
     */
    boolean isOpen();

    /**
     * A sub-view of this view, sharing its memory and its closed state.
     *
     * @param offset start of the sub-view within this view
     * @param length length of the sub-view
     * @return the sub-view
     */
    SharedBuffer slice(int offset, int length);

    /** @param offset byte offset @return the byte at {@code offset} */
    byte getByte(int offset);

    /** @param offset byte offset @param value the byte to store */
    void putByte(int offset, byte value);

    /** @param offset byte offset @return the short at {@code offset} */
    short getShort(int offset);

    /** @param offset byte offset @param value the short to store */
    void putShort(int offset, short value);

    /** @param offset byte offset @return the char (unsigned 16 bits) at {@code offset} */
    char getChar(int offset);

    /** @param offset byte offset @param value the char to store */
    void putChar(int offset, char value);

    /** @param offset byte offset @return the int at {@code offset} */
    int getInt(int offset);

    /** @param offset byte offset @param value the int to store */
    void putInt(int offset, int value);

    /** @param offset byte offset @return the long at {@code offset} */
    long getLong(int offset);

    /** @param offset byte offset @param value the long to store */
    void putLong(int offset, long value);

    /** @param offset byte offset @return the float at {@code offset} */
    float getFloat(int offset);

    /** @param offset byte offset @param value the float to store */
    void putFloat(int offset, float value);

    /** @param offset byte offset @return the double at {@code offset} */
    double getDouble(int offset);

    /** @param offset byte offset @param value the double to store */
    void putDouble(int offset, double value);

    /**
     * Copies bytes out of shared memory.
     *
     * @param offset where to start reading in this view
     * @param dst the destination array
     * @param dstOffset where to start writing in {@code dst}
     * @param length how many bytes to copy
     */
    void getBytes(int offset, byte[] dst, int dstOffset, int length);

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
     * Reads a long with acquire ordering: later reads and writes of this thread are not moved
     * before it.
     *
     * @param offset 8-aligned byte offset
     * @return the value
     */
    long getLongAcquire(int offset);

    /**
     * Writes a long with release ordering: earlier reads and writes of this thread are not
     * moved after it.
     *
     * @param offset 8-aligned byte offset
     * @param value the value to store
     */
    void putLongRelease(int offset, long value);

    /**
     * Reads a long with volatile (sequentially consistent) ordering.
     *
     * @param offset 8-aligned byte offset
     * @return the value
     */
    long getLongVolatile(int offset);

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
     * Reads an int with acquire ordering.
     *
     * @param offset 4-aligned byte offset
     * @return the value
     */
    int getIntAcquire(int offset);

    /**
     * Writes an int with release ordering.
     *
     * @param offset 4-aligned byte offset
     * @param value the value to store
     */
    void putIntRelease(int offset, int value);

    /**
     * Reads an int with volatile ordering.
     *
     * @param offset 4-aligned byte offset
     * @return the value
     */
    int getIntVolatile(int offset);

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

    /**
     * Sleeps, without using CPU, while the int at {@code offset} equals {@code expected}: a
     * process-shared futex wait. Returns when another process or thread calls
     * {@link #wakeAll(int)} on the same word, when the word already differs, on timeout, or
     * spuriously; callers re-check their condition in a loop.
     *
     * @param offset 4-aligned byte offset
     * @param expected the value to sleep on
     * @param timeoutNanos the longest sleep
     * @return false if the timeout expired, true otherwise
     */
    boolean awaitIntChange(int offset, int expected, long timeoutNanos);

    /**
     * Wakes every process and thread sleeping in {@link #awaitIntChange} on the int at
     * {@code offset}. A system call: callers keep a count of sleepers and skip it when there are none.
     *
     * @param offset 4-aligned byte offset
     * @return how many sleepers were woken
     */
    int wakeAll(int offset);
}
