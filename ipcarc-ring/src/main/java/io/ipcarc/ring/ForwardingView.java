package io.ipcarc.ring;

import io.ipcarc.SharedView;

/**
 * A {@link SharedView} that forwards every access to the view it holds now ({@link #view()}):
 * how a ring entry is a flyweight over either a window of the ring's segment (zero copy) or a
 * window of a private copy, without a second set of accessors. The window checks the bounds.
 */
interface ForwardingView extends SharedView {
    /**
     * Returns the view every access goes to now.
     *
     * @return the view every access goes to now
     */
    SharedView view();

    // @formatter:off
    @Override default int capacity() { return view().capacity(); }
    @Override default boolean isOpen() { return view().isOpen(); }
    @Override default SharedView slice(int offset, int length) { return view().slice(offset, length); }
    @Override default byte getByte(int offset) { return view().getByte(offset); }
    @Override default short getShort(int offset) { return view().getShort(offset); }
    @Override default char getChar(int offset) { return view().getChar(offset); }
    @Override default int getInt(int offset) { return view().getInt(offset); }
    @Override default long getLong(int offset) { return view().getLong(offset); }
    @Override default float getFloat(int offset) { return view().getFloat(offset); }
    @Override default double getDouble(int offset) { return view().getDouble(offset); }
    @Override default void getBytes(int offset, byte[] dst, int dstOffset, int length) { view().getBytes(offset, dst, dstOffset, length); }
    @Override default long getLongAcquire(int offset) { return view().getLongAcquire(offset); }
    @Override default long getLongVolatile(int offset) { return view().getLongVolatile(offset); }
    @Override default int getIntAcquire(int offset) { return view().getIntAcquire(offset); }
    @Override default int getIntVolatile(int offset) { return view().getIntVolatile(offset); }
    // @formatter:on
}
