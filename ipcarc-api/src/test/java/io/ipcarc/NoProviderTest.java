package io.ipcarc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The API module has no implementation on its test classpath. */
class NoProviderTest {
    @Test
    void shouldTellToAddIpcarcPosixWhenNoProviderIsOnTheClasspath() {
        IpcArcException e = assertThrows(IpcArcException.class, () -> IpcArc.create("/x", 1L));
        assertTrue(e.getMessage().contains("io.ipcarc:ipcarc-posix"), e.getMessage());
    }
}
