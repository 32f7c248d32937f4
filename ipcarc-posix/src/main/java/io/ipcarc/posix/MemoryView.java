package io.ipcarc.posix;

import com.kenai.jffi.MemoryIO;
import io.ipcarc.SharedBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The one class that reads and writes mapped memory: a window {@code [base, base+length)} of
 * a {@link MappedMemory}, with a bounds check and a closed-state check on every access.
 *
 * <p>Plain scalar accesses go through jffi's {@link MemoryIO} at the checked absolute address
 * (one machine load or store once compiled); the ordered and atomic ones through a
 * {@link VarHandle} view of the mapping's direct {@link ByteBuffer}; bulk copies through the
 * buffer. Every path runs the same checks first.
 */
final class MemoryView implements SharedBuffer {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final MemoryIO IO = MemoryIO.getInstance();

    private final MappedMemory memory;
    private final ByteBuffer bb;
    /** Start of the mapping; {@code address + at(...)} is the absolute address of a checked access. */
    private final long address;
    private final int base;
    private final int length;
    private final Scope scope;

    MemoryView(MappedMemory memory, int base, int length, Scope scope) {
        Objects.checkFromIndexSize(base, length, memory.size());
        this.memory = memory;
        this.bb = memory.buffer();
        this.address = memory.address();
        this.base = base;
        this.length = length;
        this.scope = scope;
    }

    /**
     * The library's own view of a whole mapping (header, holders, mutexes): it stays usable after
     * the handle is marked closed, until the shared pages are replaced, so that close() can still
     * release the reference.
     *
     * @param memory the mapping
     * @return the view
     */
    static MemoryView whole(MappedMemory memory) {
        return new MemoryView(memory, 0, memory.size(), memory.internal);
    }

    /**
     * A view of the same window with another lifetime, for example a guard's.
     *
     * @param newScope the lifetime
     * @return the view
     */
    MemoryView withScope(Scope newScope) {
        return new MemoryView(memory, base, length, newScope);
    }

    private int at(int offset, int size) {
        if (!scope.alive()) {
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
        return scope.alive();
    }

    @Override
    public SharedBuffer slice(int offset, int len) {
        Objects.checkFromIndexSize(offset, len, length);
        if (!scope.alive()) {
            throw scope.closedError();
        }
        return new MemoryView(memory, base + offset, len, scope);
    }

    @Override
    public byte getByte(int offset) {
        return IO.getByte(address + at(offset, 1));
    }

    @Override
    public void putByte(int offset, byte value) {
        IO.putByte(address + at(offset, 1), value);
    }

    @Override
    public short getShort(int offset) {
        return IO.getShort(address + at(offset, 2));
    }

    @Override
    public void putShort(int offset, short value) {
        IO.putShort(address + at(offset, 2), value);
    }

    @Override
    public char getChar(int offset) {
        return (char) IO.getShort(address + at(offset, 2));
    }

    @Override
    public void putChar(int offset, char value) {
        IO.putShort(address + at(offset, 2), (short) value);
    }

    @Override
    public int getInt(int offset) {
        return IO.getInt(address + at(offset, 4));
    }

    @Override
    public void putInt(int offset, int value) {
        IO.putInt(address + at(offset, 4), value);
    }

    @Override
    public long getLong(int offset) {
        return IO.getLong(address + at(offset, 8));
    }

    @Override
    public void putLong(int offset, long value) {
        IO.putLong(address + at(offset, 8), value);
    }

    @Override
    public float getFloat(int offset) {
        return IO.getFloat(address + at(offset, 4));
    }

    @Override
    public void putFloat(int offset, float value) {
        IO.putFloat(address + at(offset, 4), value);
    }

    @Override
    public double getDouble(int offset) {
        return IO.getDouble(address + at(offset, 8));
    }

    @Override
    public void putDouble(int offset, double value) {
        IO.putDouble(address + at(offset, 8), value);
    }

    @Override
    public void getBytes(int offset, byte[] dst, int dstOffset, int len) {
        Objects.checkFromIndexSize(dstOffset, len, dst.length);
        bb.get(at(offset, len), dst, dstOffset, len);
    }

    @Override
    public void putBytes(int offset, byte[] src, int srcOffset, int len) {
        Objects.checkFromIndexSize(srcOffset, len, src.length);
        bb.put(at(offset, len), src, srcOffset, len);
    }

    @Override
    public void setMemory(int offset, int len, byte value) {
        int start = at(offset, len);
        for (int i = 0; i < len; i++) {
            bb.put(start + i, value);
        }
    }

    @Override
    public long getLongAcquire(int offset) {
        return (long) LONGS.getAcquire(bb, aligned(offset, 8));
    }

    @Override
    public void putLongRelease(int offset, long value) {
        LONGS.setRelease(bb, aligned(offset, 8), value);
    }

    @Override
    public long getLongVolatile(int offset) {
        return (long) LONGS.getVolatile(bb, aligned(offset, 8));
    }

    @Override
    public void putLongVolatile(int offset, long value) {
        LONGS.setVolatile(bb, aligned(offset, 8), value);
    }

    @Override
    public boolean compareAndSetLong(int offset, long expected, long update) {
        return LONGS.compareAndSet(bb, aligned(offset, 8), expected, update);
    }

    @Override
    public long getAndAddLong(int offset, long delta) {
        return (long) LONGS.getAndAdd(bb, aligned(offset, 8), delta);
    }

    @Override
    public int getIntAcquire(int offset) {
        return (int) INTS.getAcquire(bb, aligned(offset, 4));
    }

    @Override
    public void putIntRelease(int offset, int value) {
        INTS.setRelease(bb, aligned(offset, 4), value);
    }

    @Override
    public int getIntVolatile(int offset) {
        return (int) INTS.getVolatile(bb, aligned(offset, 4));
    }

    @Override
    public void putIntVolatile(int offset, int value) {
        INTS.setVolatile(bb, aligned(offset, 4), value);
    }

    @Override
    public boolean compareAndSetInt(int offset, int expected, int update) {
        return INTS.compareAndSet(bb, aligned(offset, 4), expected, update);
    }

    @Override
    public int getAndAddInt(int offset, int delta) {
        return (int) INTS.getAndAdd(bb, aligned(offset, 4), delta);
    }

    /**
     * Process-shared futex wait on the int at {@code offset}.
     *
     * @param offset 4-aligned offset
     * @param expected the value to sleep on
     * @param timeoutNanos the longest sleep
     * @return false on timeout
     */
    boolean awaitIntChange(int offset, int expected, long timeoutNanos) {
        long address = memory.address() + aligned(offset, 4);
        return Futex.await(address, expected, Math.max(0, timeoutNanos)) != Native.ETIMEDOUT;
    }

    /**
     * Wakes every sleeper on the int at {@code offset}.
     *
     * @param offset 4-aligned offset
     * @return how many were woken
     */
    int wakeAll(int offset) {
        return Futex.wakeAll(memory.address() + aligned(offset, 4));
    }

    /** @return the absolute address of {@code offset} in this view, for native calls */
    long addressOf(int offset) {
        return address + at(offset, 1);
    }
}
