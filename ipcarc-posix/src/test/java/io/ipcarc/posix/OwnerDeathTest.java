package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.ArcOptions;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.LockInfo;
import io.ipcarc.ShmType;
import io.ipcarc.TornValueException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Owner death is never swallowed: whoever recovers the mutex of a holder killed inside its guard
 * (a read() fallback, tryAcquire, a timed acquire) records it in the segment, and the next
 * acquire() guard in any process reports ownerDied() until a guard that saw it closes normally.
 * Each test uses separate JVMs: the holder (killed), a reader, and an acquirer.
 */
@Timeout(180)
class OwnerDeathTest {
    private static final Duration START = ShmSandbox.START;
    private static final ArcOptions RAW = ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW);

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    /** Creates a Long segment, starts a child that acquires, writes 42 and dies holding the lock. */
    private ChildJvm killHolderInsideGuard(String name) {
        ChildJvm holder = sandbox.start("hold", name, "42");
        holder.awaitLine("LOCKED", START);
        holder.kill();
        return holder;
    }

    @Test
    void shouldReportOwnerDeathToAcquireInAThirdJvmAfterAReadInAnotherJvmCrashAtomic() {
        String name = sandbox.name("died-ca");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            assertThat(arc.payloadMode()).isEqualTo(ArcOptions.PayloadMode.CRASH_ATOMIC);
            killHolderInsideGuard(name);

            ChildJvm reader = sandbox.start("read-once", name);
            assertThat(reader.awaitLine("READ", START)).as("the committed value, without waiting for the dead holder")
                    .isEqualTo("READ 1");
            assertThat(reader.awaitExit(START)).isZero();
            assertThat(IpcArcs.inspect(name).lock().state()).as("read() never touched the mutex")
                    .isEqualTo(LockInfo.State.OWNER_DIED);

            ChildJvm acquirer = sandbox.start("acquire-report", name, "43");
            assertThat(acquirer.awaitLine("OWNER_DIED", START)).isEqualTo("OWNER_DIED true VALUE 1");
            assertThat(acquirer.awaitExit(START)).isZero();
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).as("the guard that saw it closed normally").isFalse();
                assertThat(g.get()).isEqualTo(43L);
            }
        }
    }

    @Test
    void shouldRefuseTheTornValueInReadAndStillReportOwnerDeathToAcquireRaw() {
        String name = sandbox.name("died-raw");
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 1L, RAW)) {
            killHolderInsideGuard(name);

            ChildJvm reader = sandbox.start("read-once", name);
            assertThat(reader.awaitLine("TORN", START)).contains("name=" + name).contains("half-written");
            assertThat(reader.awaitExit(START)).isZero();
            LockInfo lock = IpcArcs.inspect(name).lock();
            assertThat(lock.state()).as("the reader's fallback recovered the mutex").isEqualTo(LockInfo.State.FREE);
            assertThat(lock.repairPending()).as("and recorded the death").isTrue();
            assertThatThrownBy(arc::read).isInstanceOf(TornValueException.class).hasMessageContaining(name);

            ChildJvm acquirer = sandbox.start("acquire-report", name, "43");
            assertThat(acquirer.awaitLine("OWNER_DIED", START)).isEqualTo("OWNER_DIED true VALUE 42");
            assertThat(acquirer.awaitExit(START)).isZero();
            assertThat(arc.read()).as("repaired by a guard that closed normally").isEqualTo(43L);
            assertThat(IpcArcs.inspect(name).lock().repairPending()).isFalse();
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).isFalse();
            }
        }
    }

    @Test
    void shouldKeepReportingOwnerDeathUntilAGuardThatSawItClosesNormally() {
        String name = sandbox.name("died-again");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            killHolderInsideGuard(name);
            // tryAcquire recovers the mutex: its guard reports the death ...
            Guard<Long> first = arc.tryAcquire().orElseThrow();
            assertThat(first.ownerDied()).isTrue();
            first.close();
            assertThat(IpcArcs.inspect(name).lock().repairPending()).isFalse();

            killHolderInsideGuard(name);
            // ... a holder that saw it but died too passes it on
            ChildJvm second = sandbox.start("hold", name, "50");
            assertThat(second.awaitLine("OWNER_DIED", START)).isEqualTo("OWNER_DIED true");
            second.awaitLine("LOCKED", START);
            second.kill();
            try (Guard<Long> g = arc.acquire(Duration.ofSeconds(30))) {
                assertThat(g.ownerDied()).isTrue();
                assertThat(g.get()).as("neither dead holder committed").isEqualTo(1L);
            }
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).isFalse();
            }
        }
    }
}
