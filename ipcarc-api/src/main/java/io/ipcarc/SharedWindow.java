package io.ipcarc;

/**
 * A window of fixed length over a {@link SharedBuffer} that moves over it without allocating: a
 * flyweight for structures that hand out views of their parts (a ring's entries, a map's
 * values). Its range, and that its buffer is still open, are checked once, when it is moved;
 * an access then checks only that it stays inside the window. Made by
 * {@link SharedBuffer#window(int)}; used by one thread at a time.
 *
 * <pre>{@code
 * try (IpcArc<byte[]> table = IpcArc.create("/table", ShmType.bytes(64 * 16), null,
 *         ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW))) {
 *     SharedWindow row = table.buffer().window(64);
 *     for (int i = 0; i < 16; i++) {
 *         row.moveTo(i * 64).putLong(0, i);   // row i's first field
 *     }
 * }
 * }</pre>
 */
public interface SharedWindow extends SharedBuffer {
    /**
     * Points the window at {@code [offset, offset + capacity())} of the buffer it was made from.
     *
     * @param offset where the window starts in that buffer
     * @return this window
     * @throws IndexOutOfBoundsException if the window would not fit in the buffer
     * @throws IllegalStateException if the buffer was closed
     */
    SharedWindow moveTo(int offset);

    /**
     * Returns where the window starts in the buffer it was made from.
     *
     * @return where the window starts in the buffer it was made from
     */
    int offset();
}
