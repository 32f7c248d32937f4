package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcOptions.PayloadMode;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.TornValueException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.Child;
import io.ipcarc.testing.Records.Triple;
import io.ipcarc.testing.ShmNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lock-free read() against a writer in another JVM: no snapshot may be torn, in either
 * payload mode (the seqlock of a raw payload, the committed copy of a crash-atomic one).
 */
@Timeout(180)
class SeqlockCrossProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    /** C2 as well as C1: the compiler that reorders most should see the reader loop too. */
    private static final List<String> FULL_JIT = List.of("-XX:TieredStopAtLevel=4");

    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"CRASH_ATOMIC", "RAW"})
    void shouldNeverReturnATornRecordWhileAnotherJvmRewritesIt(PayloadMode mode) {
        String name = names.next("seqlock");
        String stopName = names.next("seqlock-stop");
        try (IpcArc<Triple> arc = IpcArc.create(name, ShmType.of(Triple.class), Triple.of(0),
                ArcOptions.defaults().withPayloadMode(mode));
             IpcArc<Long> stop = IpcArc.create(stopName, 0L);
             ChildJvm writer = ChildJvm.start(FULL_JIT, Child.class, "rewrite-triple", name, stopName)) {
            writer.awaitLine("WRITING", START);
            try (ChildJvm reader = ChildJvm.start(FULL_JIT, Child.class, "read-triple", name, "3000000", "20000")) {
                String done = reader.awaitLine("DONE", Duration.ofSeconds(120));
                assertThat(reader.lines()).as("reader output").noneMatch(l -> l.startsWith("BROKEN"));
                assertThat(done).contains(" broken=0 ");
                long reads = field(done, "reads");
                long changes = field(done, "changes");
                assertThat(reads).as("the reader ran").isPositive();
                assertThat(changes).as("the reader overlapped with the writer: " + done).isGreaterThan(1);
            }
            try (Guard<Long> g = stop.acquire()) {
                g.set(1L);
            }
            assertThat(writer.awaitLine("WROTE", START)).startsWith("WROTE ");
            assertThat(writer.awaitExit(START)).isZero();
            assertThat(arc.read().consistent()).isTrue();
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldFallBackToTheLockAndRefuseTheTornValueWhenTheRawWriterDiedMidUpdate() {
        String name = names.next("seqlock-died");
        try (IpcArc<Long> arc = IpcArc.create(name, ShmType.of(Long.class), 1L,
                ArcOptions.defaults().withPayloadMode(PayloadMode.RAW));
             ChildJvm holder = ChildJvm.start(Child.class, "hold", name, "42")) {
            holder.awaitLine("LOCKED", START);
            holder.kill(); // dies holding the mutex, with the sequence word odd

            assertThatThrownBy(arc::read).as("read() gave up on the odd word, recovered the lock, found it torn")
                    .isInstanceOf(TornValueException.class).hasMessageContaining("name=" + name);
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).as("the fallback read recorded the death; it did not swallow it").isTrue();
                assertThat(g.get()).isEqualTo(42L);
                g.set(43L);
            }
            assertThat(arc.read()).isEqualTo(43L);
        }
    }

    @Test
    void shouldReturnTheCommittedValueAtOnceWhenTheCrashAtomicWriterDiedMidUpdate() {
        String name = names.next("seqlock-died-ca");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L);
             ChildJvm holder = ChildJvm.start(Child.class, "hold", name, "42")) {
            holder.awaitLine("LOCKED", START);
            holder.kill(); // dies holding the mutex, its write only in the shadow copy

            assertThat(arc.read()).as("the committed value, no lock taken").isEqualTo(1L);
            try (Guard<Long> g = arc.acquire()) {
                assertThat(g.ownerDied()).isTrue();
                assertThat(g.get()).isEqualTo(1L);
            }
        }
    }

    private static long field(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return Long.parseLong(part.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in " + line);
    }
}
