package io.ipcarc.ring;

import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.SharedWindow;
import io.ipcarc.ShmType;
import io.ipcarc.StringField;

/**
 * One entry handed to an {@link EntryHandler}: a read-only, bounds-checked view of exactly the
 * entry's bytes (offset 0 is the entry's first byte, {@link #capacity()} its size), and its
 * sequence. Reading a field allocates nothing (a string field too: {@link #copyString},
 * {@link #stringEquals}); {@link #decode()} builds a {@code T}.
 *
 * <p>The view is a flyweight: it is moved to the next entry after the handler returns, so keep
 * values, not the view. With a lossless writer the view is the entry in shared memory itself
 * (zero copy: the writer never overwrites an entry this reader has not committed past); with a
 * lossy writer it is a private copy, taken and validated before the handler is called, so that
 * an entry overwritten meanwhile is reported as lost and never handed out torn.
 *
 * @param <T> the entry type
 */
public final class RingEntry<T> implements ForwardingView {
    private final ShmType<T> type;
    /** A window of the ring's segment, for entries read in place. */
    private final SharedWindow inPlace;
    /** A window of the reader's private copies, for entries copied first. */
    private final SharedWindow copied;
    private SharedView current;
    private long sequence;

    RingEntry(ShmType<T> type, SharedBuffer ring, SharedBuffer copies) {
        this.type = type;
        this.inPlace = ring.window(type.size());
        this.copied = copies.window(type.size());
        this.current = inPlace;
    }

    /** Points the entry at the entry body at {@code base} of the ring's segment. */
    void inPlace(int base, long seq) {
        current = inPlace.moveTo(base);
        this.sequence = seq;
    }

    /** Points the entry at the copy at {@code base} of the reader's private copies. */
    void copied(int base, long seq) {
        current = copied.moveTo(base);
        this.sequence = seq;
    }

    /**
     * The view of the entry's bytes the accessors read now (a window of the ring's segment, or of
     * a private copy): a flyweight, moved to the next entry after the handler returns.
     *
     * @return the view
     */
    @Override
    public SharedView view() {
        return current;
    }

    /**
     * Returns the entry's sequence: 0 for the first entry the ring ever published, then 1, 2, ...
     *
     * @return the entry's sequence: 0 for the first entry the ring ever published, then 1, 2, ...
     */
    public long sequence() {
        return sequence;
    }

    /**
     * Returns the entry's type.
     *
     * @return the entry's type
     */
    public ShmType<T> type() {
        return type;
    }

    /**
     * Decodes the entry into a new value.
     *
     * @return the value, never {@code null}
     * @throws io.ipcarc.CorruptSegmentException if the entry holds what no writer of this type
     *     writes (an enum ordinal out of range, a string that is not UTF-8)
     */
    public T decode() {
        return type.read(this, 0);
    }

    /**
     * Copies the UTF-8 bytes of a string field of the entry into a caller's buffer, without
     * building a {@code String} (see {@link StringField}).
     *
     * @param field the field's name, or a dotted path into nested records
     * @param dst where to copy the bytes
     * @param dstOffset where to start in {@code dst}
     * @return how many bytes were copied: the string's length in bytes of UTF-8
     * @throws IllegalArgumentException if the entry type has no string field of that name
     */
    public int copyString(String field, byte[] dst, int dstOffset) {
        return type.stringField(field).copyTo(this, dst, dstOffset);
    }

    /**
     * Whether a string field of the entry equals a text, compared in place.
     *
     * @param field the field's name, or a dotted path into nested records
     * @param text the text
     * @return true if the field holds exactly that text
     * @throws IllegalArgumentException if the entry type has no string field of that name
     */
    public boolean stringEquals(String field, CharSequence text) {
        return type.stringField(field).contentEquals(this, text);
    }

    @Override
    public String toString() {
        return "RingEntry[seq=" + sequence + ", " + type.descriptor() + "]";
    }
}
