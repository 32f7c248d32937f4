package io.ipcarc.posix.memory;

import io.ipcarc.SharedBuffer;
import io.ipcarc.SharedView;
import io.ipcarc.SharedWindow;
import java.util.Objects;
import io.ipcarc.posix.sys.Linux;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.RawMemory;

/**
 * The one buffer of the library: a window {@code [base, base + length)} of a {@link RawMemory}
 * (a mapping, or scratch memory), with the {@link SharedView}, {@link SharedBuffer} and
 * {@link SharedWindow} accessors, used by the library and by its users alike. The raw access
 * belongs to the {@link Binding}: one {@link RawMemory} class per binding, so that every call here
 * is monomorphic.
 *
 * <p>What it checks: every access stays inside the window (and ordered and atomic ones are
 * naturally aligned); while it has a lifetime ({@link Scope}), every access also checks that the
 * lifetime has not ended (a closed handle, a released guard, a truncated segment); a fault the JVM
 * reports ({@link InternalError}) becomes what the lifetime says (a truncation).
 *
 * <p>Two kinds have no lifetime of their own, so that an access costs the load or store and the
 * bounds check only:
 * <ul>
 *   <li>a {@link #window(int) window} (a flyweight: a ring's entries, a map's values): it checks
 *       its range and its source's lifetime once, when it is moved ({@link #moveTo(int)});</li>
 *   <li>an {@link #unscoped()} view, only for the library's own lock-free {@code read()}, which
 *       checks the handle's state before it starts and after its copy validated, and never returns
 *       a copy made while a close raced with it (a closed mapping stays mapped until it is
 *       unreachable, {@link MappedMemory}, so such a load never faults).</li>
 * </ul>
 */
public final class MemoryView implements SharedWindow {
    private final RawMemory raw;
    /** Where the view starts in the raw memory; moved by {@link #moveTo(int)} for a window. */
    private int base;
    private final int length;
    /** The lifetime checked on every access; {@code null} for a window and an unscoped view. */
    private final Scope scope;
    /** The view a window moves in: its start and length in the raw memory, and its lifetime (checked at each move). */
    private final int rangeBase;
    private final int rangeLength;
    private final Scope rangeScope;

    /**
     * A view of {@code [base, base + length)} of {@code raw}.
     *
     * @param raw the memory
     * @param base first byte
     * @param length bytes
     * @param scope the lifetime checked on every access, {@code null} for none
     */
    public MemoryView(RawMemory raw, int base, int length, Scope scope) {
        this(raw, base, length, scope, base, length, scope);
    }

    private MemoryView(RawMemory raw, int base, int length, Scope scope, int rangeBase, int rangeLength, Scope rangeScope) {
        Objects.checkFromIndexSize(base, length, raw.size());
        this.raw = raw;
        this.base = base;
        this.length = length;
        this.scope = scope;
        this.rangeBase = rangeBase;
        this.rangeLength = rangeLength;
        this.rangeScope = rangeScope;
    }

    /**
     * A view of the same window with another lifetime, for example a guard's.
     *
     * @param newScope the lifetime
     * @return the view
     */
    public MemoryView withScope(Scope newScope) {
        return new MemoryView(raw, base, length, newScope);
    }

    /**
     * The raw memory of a view of a whole mapping, for the library's own accesses at fixed
     * offsets inside a segment's header (the lock protocol's words, the sequence word) and its
     * payload locks' slots: those offsets are checked once, against the mapping's size, and a
     * mapping stays mapped while its handle is reachable ({@link MappedMemory}), so each such
     * access is the machine load or store alone. The one exception to "every access through a
     * MemoryView", kept to offsets checked once.
     *
     * @return the binding's raw memory of the mapping
     * @throws IllegalStateException if this view does not start at byte 0 of a mapping of at least one page
     */
    public RawMemory headerWords() {
        if (base != 0 || raw.size() < Linux.PAGE_SIZE) {
            throw new IllegalStateException("not a view of a whole segment: base=" + base + ", size=" + raw.size());
        }
        return raw;
    }

    /**
     * The same window without the lifetime check on each access; only for the library's own
     * accesses that the class comment lists.
     *
     * @return the view
     */
    public MemoryView unscoped() {
        return new MemoryView(raw, base, length, null, base, length, scope);
    }

    @Override
    public MemoryView window(int len) {
        Objects.checkFromIndexSize(0, len, length);
        checkScope();
        return new MemoryView(raw, base, len, null, base, length, scope != null ? scope : rangeScope);
    }

    @Override
    public MemoryView moveTo(int offset) {
        Objects.checkFromIndexSize(offset, length, rangeLength);
        if (rangeScope != null && !rangeScope.alive()) {
            throw rangeScope.closedError();
        }
        base = rangeBase + offset;
        return this;
    }

    @Override
    public int offset() {
        return base - rangeBase;
    }

    /**
     * An access faulted (the JVM turned a SIGBUS on the mapping into this error): the object was
     * truncated. The view's lifetime finds out what happened and reports it; an unscoped view's
     * caller does that itself.
     */
    private RuntimeException fault(InternalError e) {
        Scope s = scope != null ? scope : rangeScope;
        if (s == null) {
            throw e;
        }
        return s.fault(e);
    }

    private void checkScope() {
        if (scope != null && !scope.alive()) {
            throw scope.closedError();
        }
    }

    private int at(int offset, int size) {
        if (scope != null && !scope.alive()) {
            throw scope.closedError();
        }
        return base + Objects.checkFromIndexSize(offset, size, length);
    }

    private int aligned(int offset, int size) {
        int index = at(offset, size);
        if ((index & (size - 1)) != 0) {
            throw new IllegalArgumentException("misaligned atomic access: offset=" + offset + ", size=" + size);
        }
        return index;
    }

    @Override
    public int capacity() {
        return length;
    }

    @Override
    public boolean isOpen() {
        Scope s = scope != null ? scope : rangeScope;
        return s == null || s.alive();
    }

    /** A view of part of this one; a slice of a window keeps its source's lifetime, checked on every access. */
    @Override
    public MemoryView slice(int offset, int len) {
        Objects.checkFromIndexSize(offset, len, length);
        checkScope();
        return new MemoryView(raw, base + offset, len, scope != null ? scope : rangeScope);
    }

    @Override
    public byte getByte(int offset) {
        try {
            return raw.getByte(at(offset, 1));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putByte(int offset, byte value) {
        try {
            raw.putByte(at(offset, 1), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public short getShort(int offset) {
        try {
            return raw.getShort(at(offset, 2));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putShort(int offset, short value) {
        try {
            raw.putShort(at(offset, 2), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public char getChar(int offset) {
        try {
            return (char) raw.getShort(at(offset, 2));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putChar(int offset, char value) {
        try {
            raw.putShort(at(offset, 2), (short) value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getInt(int offset) {
        try {
            return raw.getInt(at(offset, 4));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putInt(int offset, int value) {
        try {
            raw.putInt(at(offset, 4), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getLong(int offset) {
        try {
            return raw.getLong(at(offset, 8));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putLong(int offset, long value) {
        try {
            raw.putLong(at(offset, 8), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public float getFloat(int offset) {
        try {
            return raw.getFloat(at(offset, 4));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putFloat(int offset, float value) {
        try {
            raw.putFloat(at(offset, 4), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public double getDouble(int offset) {
        try {
            return raw.getDouble(at(offset, 8));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putDouble(int offset, double value) {
        try {
            raw.putDouble(at(offset, 8), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        try {
            raw.getBytes(at(offset, len), dst, dstOffset, len);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        try {
            raw.putBytes(at(offset, len), src, srcOffset, len);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void setMemory(int offset, int len, byte value) {
        try {
            raw.fill(at(offset, len), len, value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * Copies bytes from another window of the same memory into this one, for example one copy of
     * a payload into the other.
     *
     * @param offset where to write in this view
     * @param source the view to read
     * @param sourceOffset where to read in {@code source}
     * @param len how many bytes
     */
    public void copyFrom(int offset, MemoryView source, int sourceOffset, int len) {
        if (source.raw != raw) {
            throw new IllegalArgumentException("copy between two mappings");
        }
        int to = at(offset, len);
        int from = source.at(sourceOffset, len);
        if (from < to + len && to < from + len && len > 0) {
            throw new IllegalArgumentException("overlapping copy: from=" + from + ", to=" + to + ", length=" + len);
        }
        try {
            raw.copy(from, to, len);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getLongAcquire(int offset) {
        try {
            return raw.getLongAcquire(aligned(offset, 8));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putLongRelease(int offset, long value) {
        try {
            raw.putLongRelease(aligned(offset, 8), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getLongVolatile(int offset) {
        try {
            return raw.getLongVolatile(aligned(offset, 8));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putLongVolatile(int offset, long value) {
        try {
            raw.putLongVolatile(aligned(offset, 8), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public boolean compareAndSetLong(int offset, long expected, long update) {
        try {
            return raw.compareAndSetLong(aligned(offset, 8), expected, update);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public long getAndAddLong(int offset, long delta) {
        try {
            return raw.getAndAddLong(aligned(offset, 8), delta);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getIntAcquire(int offset) {
        try {
            return raw.getIntAcquire(aligned(offset, 4));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putIntRelease(int offset, int value) {
        try {
            raw.putIntRelease(aligned(offset, 4), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getIntVolatile(int offset) {
        try {
            return raw.getIntVolatile(aligned(offset, 4));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public void putIntVolatile(int offset, int value) {
        try {
            raw.putIntVolatile(aligned(offset, 4), value);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int update) {
        try {
            return raw.compareAndSetInt(aligned(offset, 4), expected, update);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Override
    public int getAndAddInt(int offset, int delta) {
        try {
            return raw.getAndAddInt(aligned(offset, 4), delta);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * @param offset an offset in this view
     * @return its absolute address, for foreign calls
     */
    public long addressOf(int offset) {
        return raw.address() + at(offset, 1);
    }

    /**
     * The absolute address of a naturally aligned 32-bit word, for the futex calls.
     *
     * @param offset 4-aligned offset
     * @return the address
     */
    public long wordAddress(int offset) {
        return raw.address() + aligned(offset, 4);
    }
}
