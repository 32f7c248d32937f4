package io.ipcarc.ring;

import io.ipcarc.SharedView;
import io.ipcarc.ShmType;

/**
 * One entry handed to an {@link EntryHandler}: a read-only, bounds-checked view of exactly the
 * entry's bytes (offset 0 is the entry's first byte, {@link #capacity()} its size), and its
 * sequence. Reading a field allocates nothing; {@link #decode()} builds a {@code T}.
 *
 * <p>The view is a flyweight: it is moved to the next entry after the handler returns, so keep
 * values, not the view. With a lossless writer the view is the entry in shared memory itself
 * (zero copy: the writer never overwrites an entry this reader has not committed past); with a
 * lossy writer it is a private copy, taken and validated before the handler is called, so that
 * an entry overwritten meanwhile is reported as lost and never handed out torn.
 *
 * @param <T> the entry type
 */
public final class RingEntry<T> extends BoundedView {
    private final ShmType<T> type;
    private long sequence;

    RingEntry(ShmType<T> type, SharedView source) {
        super(source, 0, type.size());
        this.type = type;
    }

    void moveTo(SharedView source, int base, long seq) {
        wrap(source, base);
        this.sequence = seq;
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
     */
    public T decode() {
        return type.read(this, 0);
    }

    @Override
    public String toString() {
        return "RingEntry[seq=" + sequence + ", " + type.descriptor() + "]";
    }
}
