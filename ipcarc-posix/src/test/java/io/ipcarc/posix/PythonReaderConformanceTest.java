package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcOptions.PayloadMode;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ForeignPeers;
import io.ipcarc.testing.Records.Triple;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Python process using only the standard library (python/ipcarc.py) reads an
 * IpcArc&lt;Triple&gt; lock-free while a JVM rewrites it under the lock, in both payload modes,
 * and never returns a torn value: every snapshot keeps the writer's invariant b = 2a, c = a + b.
 */
@Timeout(120)
class PythonReaderConformanceTest {
    private static final Duration START = ShmSandbox.START;

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"CRASH_ATOMIC", "RAW"})
    void shouldNeverReturnATornTripleWhileAJvmRewritesIt(PayloadMode mode) {
        String name = sandbox.name("py-triple");
        String stopName = sandbox.name("py-stop");
        try (IpcArc<Triple> arc = IpcArc.create(name, ShmType.of(Triple.class), Triple.of(0),
                ArcOptions.defaults().withPayloadMode(mode));
             IpcArc<Long> stop = IpcArc.create(stopName, 0L)) {
            // At full speed in bursts of 1 ms, parked 0.2 ms between them: a Python read attempt takes many
            // times as long as one of the writer's guards, and a writer that never pauses starves it. Without its validation, the same
            // Python read returned torn triples in both modes here.
            ChildJvm writer = sandbox.start("rewrite-triple", name, stopName, "1000000", "200000");
            writer.awaitLine("WRITING", START);
            ChildJvm reader = sandbox.add(ForeignPeers.start(
                    ForeignPeers.python("ipcarc_peer.py", "read-triple", name, "100000", "2000", "5000")));
            String done = reader.awaitLine("DONE", Duration.ofSeconds(90));
            assertThat(reader.lines()).as("Python reader output").noneMatch(l -> l.startsWith("BROKEN"));
            assertThat(done).contains(" broken=0 ", "mode=" + (mode == PayloadMode.RAW ? "raw" : "crash-atomic"));
            assertThat(field(done, "reads")).as("the reader ran: %s", done).isGreaterThan(10_000);
            assertThat(field(done, "changes")).as("the value changed while the reader read: %s", done).isGreaterThan(1);
            assertThat(field(done, "retries")).as("reads that overlapped a write were rejected: %s", done).isPositive();
            assertThat(reader.awaitExit(START)).isZero();
            try (Guard<Long> g = stop.acquire()) {
                g.set(1L);
            }
            assertThat(writer.awaitLine("WROTE", START)).startsWith("WROTE ");
            assertThat(writer.awaitExit(START)).isZero();
        }
    }

    @Test
    void shouldRefuseASegmentOfAnotherTypeAndDecodeAnyTypeFromItsDescriptor() {
        String name = sandbox.name("py-type");
        try (IpcArc<Long> arc = IpcArc.create(name, 77L)) {
            assertThat(ForeignPeers.run(ForeignPeers.python("ipcarc.py", "read", name), 60)).containsExactly("77");
            ChildJvm mismatch = sandbox.add(ForeignPeers.start(
                    ForeignPeers.python("ipcarc_peer.py", "read-triple", name, "1", "1", "1000")));
            assertThat(mismatch.awaitExit(START)).isEqualTo(1);
            assertThat(mismatch.lines()).singleElement().asString()
                    .contains("type mismatch", "name=" + name, "expected=io.ipcarc.testing.Records$Triple{", "found=i64");
            assertThat(arc.refCount()).as("Python's read-only attachment holds no reference").isEqualTo(1);
        }
    }

    private static long field(String line, String key) {
        for (String part : List.of(line.split(" "))) {
            if (part.startsWith(key + "=")) {
                return Long.parseLong(part.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + " in " + line);
    }
}
