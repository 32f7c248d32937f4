package io.ipcarc;

/**
 * A read-only, bounds-checked, zero-copy view of bytes in shared memory: plain loads, acquire and
 * volatile loads, and copies of byte ranges. {@link SharedBuffer} adds stores and atomics.
 *
 * <p>Offsets are in bytes from the start of the view; values use the platform's native byte
 * order (little-endian on x86_64 and aarch64), so a C program sees the same values. Every
 * access checks its bounds ({@link IndexOutOfBoundsException}) and that the view is still valid
 * ({@link IllegalStateException} once its {@link IpcArc} or {@link Guard} is closed): no access
 * path touches memory that has been unmapped.
 *
 * <p>Plain loads ({@code getLong}, ...) have no ordering guarantees; they are consistent under
 * the segment's lock, or when validated by a protocol of the caller (a stamp read before and
 * after). The loads whose name says an ordering ({@code getLongAcquire}, {@code getLongVolatile})
 * are atomic and order memory as their names say, across processes too; their offsets must be
 * naturally aligned (8 for long, 4 for int) relative to the mapping, otherwise they throw
 * {@link IllegalArgumentException}. Views handed out by IpcArc start on a 64-byte boundary, so
 * an offset that is a multiple of 8 is aligned for longs.
 */
public interface SharedView {

    /**
     * A read-only view of a heap array, read like shared memory (native byte order, checked
     * bounds), for a copy of shared bytes that no other thread writes (its ordered loads are
     * plain loads). The view reads the array as it is when each access is made.
     *
     * <pre>{@code
     * byte[] copy = new byte[16];
     * copy[8] = 42;
     * long second = SharedView.wrap(copy).getLong(8); // 42 on a little-endian host
     * }</pre>
     *
     * @param bytes the array
     * @return a view of all of it
     */
    static SharedView wrap(byte[] bytes) {
        return new HeapView(java.util.Objects.requireNonNull(bytes, "bytes"));
    }

    /**
     * The number of bytes in this view.
     *
     * @return the view's length in bytes
     */
    int capacity();

    /**
     * Whether the memory behind this view may still be accessed.
     *
     * @return false once the owning arc (or guard, for a guard's view) has been closed
     */
    boolean isOpen();

    /**
     * A read-only sub-view of this view, sharing its memory and its validity.
     *
     * @param offset start of the sub-view within this view
     * @param length length of the sub-view
     * @return the sub-view
     */
    SharedView slice(int offset, int length);

    /**
     * Loads a byte (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the byte at {@code offset}
     */
    byte getByte(int offset);

    /**
     * Loads a short in native byte order (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the short at {@code offset}
     */
    short getShort(int offset);

    /**
     * Loads a char in native byte order (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the char (unsigned 16 bits) at {@code offset}
     */
    char getChar(int offset);

    /**
     * Loads an int in native byte order (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the int at {@code offset}
     */
    int getInt(int offset);

    /**
     * Loads a long in native byte order (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the long at {@code offset}
     */
    long getLong(int offset);

    /**
     * Loads a float in native byte order (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the float at {@code offset}
     */
    float getFloat(int offset);

    /**
     * Loads a double in native byte order (plain load, no ordering).
     *
     * @param offset byte offset
     * @return the double at {@code offset}
     */
    double getDouble(int offset);

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
     * Reads a long with acquire ordering: later reads and writes of this thread are not moved
     * before it.
     *
     * @param offset 8-aligned byte offset
     * @return the value
     */
    long getLongAcquire(int offset);

    /**
     * Reads a long with volatile (sequentially consistent) ordering.
     *
     * @param offset 8-aligned byte offset
     * @return the value
     */
    long getLongVolatile(int offset);

    /**
     * Reads an int with acquire ordering.
     *
     * @param offset 4-aligned byte offset
     * @return the value
     */
    int getIntAcquire(int offset);

    /**
     * Reads an int with volatile ordering.
     *
     * @param offset 4-aligned byte offset
     * @return the value
     */
    int getIntVolatile(int offset);
}
