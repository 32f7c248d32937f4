package io.ipcarc.ring;

import io.ipcarc.SharedBuffer;

/** Writes the bytes of one entry being published. */
@FunctionalInterface
public interface EntryWriter {
    /**
     * Writes the entry of sequence {@code seq} in place, before it is published.
     *
     * @param entry exactly the entry's bytes, from offset 0 to the entry type's size: writing
     *     outside them throws {@link IndexOutOfBoundsException}; valid only during this call.
     *     Bytes not written keep what the slot held before (the entry published a ring ago).
     * @param seq the entry's sequence
     */
    void write(SharedBuffer entry, long seq);
}
