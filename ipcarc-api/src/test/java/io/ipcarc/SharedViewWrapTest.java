package io.ipcarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** SharedView.wrap: a heap array read like shared memory, in native byte order, within its bounds. */
class SharedViewWrapTest {

    @Test
    void shouldReadNativeOrderWithinBoundsAndSlices() {
        byte[] bytes = new byte[32];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putLong(8, 0x1122334455667788L).putInt(16, -7)
                .putDouble(24, 2.5);
        SharedView v = SharedView.wrap(bytes);
        assertEquals(32, v.capacity());
        assertTrue(v.isOpen());
        assertEquals(0x1122334455667788L, v.getLong(8));
        assertEquals(0x1122334455667788L, v.getLongAcquire(8));
        assertEquals(-7, v.getInt(16));
        assertEquals(-7, v.getIntVolatile(16));
        assertEquals(2.5, v.getDouble(24));
        SharedView slice = v.slice(16, 16);
        assertEquals(-7, slice.getInt(0));
        assertEquals(2.5, slice.getDouble(8));
        assertThrows(IndexOutOfBoundsException.class, () -> v.getLong(25));
        assertThrows(IndexOutOfBoundsException.class, () -> slice.getLong(9));
        assertThrows(IndexOutOfBoundsException.class, () -> v.slice(20, 16));
        assertThrows(NullPointerException.class, () -> SharedView.wrap(null));
    }
}
