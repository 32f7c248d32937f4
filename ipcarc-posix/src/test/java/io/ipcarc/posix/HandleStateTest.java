package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.testing.ShmNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handle's in-use count and closed state, on the lock paths and the lock-free read(). */
class HandleStateTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldRefuseToCloseWhileThisThreadHoldsTheLockAndCloseAfterRelease() {
        IpcArc<Long> arc = IpcArc.create(names.next("inuse"), 1L);
        try (Guard<Long> g = arc.acquire()) {
            assertThatThrownBy(arc::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            assertThat(arc.isOpen()).isTrue();
            g.set(2L);
        }
        assertThat(arc.read()).isEqualTo(2L);
        arc.close();
        assertThat(arc.isOpen()).isFalse();
    }

    @Test
    void shouldRefuseAcquireAndLockFreeReadAfterCloseAndStayClosed() {
        IpcArc<Long> arc = IpcArc.create(names.next("closed"), 1L);
        arc.close();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(arc::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(arc::read).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(arc::tryAcquire).isInstanceOf(IllegalStateException.class);
        }
        assertThat(arc.isOpen()).as("refused acquires leave the handle closed").isFalse();
        arc.close(); // idempotent
    }
}
