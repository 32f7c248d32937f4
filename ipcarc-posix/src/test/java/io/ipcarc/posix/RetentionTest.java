package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInUseException;
import io.ipcarc.SegmentInfo;
import io.ipcarc.SharedView;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import io.ipcarc.testing.Snippets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link IpcArc#retainOnLastClose}: the release that drops the last reference keeps the segment
 * while the condition holds, on every release path (close, the shutdown hook on SIGTERM, the leak
 * cleaner); the kept segment is retained, not an orphan, and the next load adopts it.
 */
@Timeout(180)
class RetentionTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private ChildJvm child(String name, long value, String mode) {
        ChildJvm c = sandbox.add(ChildJvm.start(RetentionChild.class, name, String.valueOf(value), mode));
        c.awaitLine("CREATED", START);
        return c;
    }

    /** A child that commits {@code value}, closes its handle (the last) and exits. */
    private void closedChild(String name, long value) {
        ChildJvm c = child(name, value, "close");
        c.awaitLine("CLOSED", START);
        assertThat(c.awaitExit(START)).isZero();
    }

    private static void assertRetained(String name, long value) {
        assertThat(ShmNames.exists(name)).as("kept at the last close").isTrue();
        SegmentInfo s = IpcArcs.inspect(name);
        assertThat(s.isRetained()).as("%s", s).isTrue();
        assertThat(s.isOrphan()).isFalse();
        assertThat(s.state()).isEqualTo("ready");
        assertThat(s.refCount()).isZero();
        assertThat(s.holders()).isEmpty();
        assertThat(s.payload()).isEqualTo(String.valueOf(value));
        assertThat(IpcArcs.orphans(ShmNames.prefix())).extracting(SegmentInfo::name).doesNotContain(name);
    }

    /** Loads the retained segment (adopting it), checks the value, and closes it without a condition: unlinked. */
    private static void adoptAndClose(String name, long value) {
        try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
            assertThat(arc.refCount()).isEqualTo(1);
            assertThat(arc.read()).isEqualTo(value);
        }
        assertThat(ShmNames.exists(name)).as("a last close without a condition unlinks").isFalse();
    }

    @Test
    void shouldKeepTheSegmentWhenTheConditionHoldsAtTheLastCloseAndUnlinkItWhenTheAdopterEmptiedIt() {
        String name = sandbox.name("kept");
        closedChild(name, 7);
        assertRetained(name, 7);

        try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
            assertThat(arc.refCount()).as("adopted").isEqualTo(1);
            assertThat(IpcArcs.inspect(name).isRetained()).isFalse();
            arc.retainOnLastClose(payload -> payload.getLong(0) != 0);
            try (Guard<Long> g = arc.acquire()) {
                g.set(0L);
            }
        }
        assertThat(ShmNames.exists(name)).as("the condition no longer holds: unlinked").isFalse();
    }

    @Test
    void shouldUnlinkWhenTheConditionDoesNotHoldForTheCommittedCopy() {
        String name = sandbox.name("unkept");
        // The segment was created with 5 in copy 0 and 0 committed in copy 1: the condition sees 0.
        closedChild(name, 0);
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldKeepTheSegmentWhenTheShutdownHookReleasesItOnSigterm() {
        String name = sandbox.name("term");
        ChildJvm c = child(name, 9, "term");
        c.terminate();
        assertThat(c.awaitExit(START)).as("SIGTERM").isEqualTo(143);
        assertRetained(name, 9);
        adoptAndClose(name, 9);
    }

    @Test
    void shouldKeepTheSegmentWhenTheCleanerReleasesAHandleLeftUnclosed() {
        String name = sandbox.name("leak");
        ChildJvm c = child(name, 11, "leak");
        assertThat(c.awaitLine("RELEASED", START)).isEqualTo("RELEASED");
        assertThat(c.isAlive()).as("released by the cleaner, not by the exit hook").isTrue();
        assertRetained(name, 11);
        adoptAndClose(name, 11);
    }

    @Test
    void shouldNotEvaluateTheConditionWhileOtherReferencesRemain() {
        String name = sandbox.name("notlast");
        AtomicInteger calls = new AtomicInteger();
        try (IpcArc<Long> first = IpcArc.create(name, 1L)) {
            IpcArc<Long> second = IpcArc.load(name, Long.class);
            second.retainOnLastClose(payload -> calls.incrementAndGet() > 0);
            second.close();
            assertThat(calls).as("not the last reference").hasValue(0);
        }
        assertThat(ShmNames.exists(name)).as("the last handle had no condition").isFalse();
    }

    @Test
    void shouldKeepTheSegmentWhenTheConditionThrows() {
        String name = sandbox.name("throws");
        IpcArc<Long> arc = IpcArc.create(name, 4L);
        arc.retainOnLastClose(payload -> {
            throw new IllegalStateException("condition bug");
        });
        arc.close();
        assertRetained(name, 4);
        adoptAndClose(name, 4);
    }

    @Test
    void shouldRefuseTheConditionsViewAfterTheCall() {
        String name = sandbox.name("view");
        AtomicReference<SharedView> kept = new AtomicReference<>();
        IpcArc<Long> arc = IpcArc.create(name, 6L);
        arc.retainOnLastClose(payload -> {
            kept.set(payload);
            return payload.getLong(0) == 5;
        });
        arc.close();
        assertThat(ShmNames.exists(name)).isFalse();
        assertThat(kept.get()).as("the condition ran").isNotNull();
        assertThatThrownBy(() -> kept.get().getLong(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("valid only during the call").hasMessageContaining("name=" + name);
        assertThatThrownBy(() -> arc.retainOnLastClose(p -> true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRemoveARetainedSegmentOnlyWhenAskedForItByName() {
        String name = sandbox.name("rm");
        closedChild(name, 3);
        assertRetained(name, 3);
        assertThat(IpcArcs.removeOrphans(ShmNames.prefix())).extracting(SegmentInfo::name).doesNotContain(name);
        assertThat(ShmNames.exists(name)).isTrue();
        assertThat(IpcArcs.remove(IpcArcs.inspect(name), false)).isEqualTo(Removal.REMOVED);
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldNotRemoveAnOrphanThatWasAdoptedAndRetainedSinceItWasInspected() {
        String name = sandbox.name("race");
        ChildJvm c = child(name, 8, "term");
        c.kill();
        SegmentInfo orphan = IpcArcs.inspect(name);
        assertThat(orphan.isOrphan()).as("its only holder was killed").isTrue();
        try (IpcArc<Long> adopter = IpcArc.load(name, Long.class)) {
            adopter.retainOnLastClose(payload -> true);
        }
        assertThatThrownBy(() -> IpcArcs.remove(orphan, false)).isInstanceOf(SegmentInUseException.class)
                .hasMessageContaining("kept by its last close since it was inspected as an orphan")
                .hasMessageContaining("name=" + name);
        assertRetained(name, 8);
        assertThat(IpcArcs.remove(IpcArcs.inspect(name), false)).isEqualTo(Removal.REMOVED);
    }

    /** The snippet of {@link IpcArc#retainOnLastClose}, run as written. */
    @Test
    void shouldRunTheJavadocSnippet() {
        String name = sandbox.name("pending-jobs");
IpcArc<Long> pending = IpcArc.create(name, 3L);      // jobs not done yet
pending.retainOnLastClose(payload -> payload.getLong(0) > 0); // keep them while any are left
pending.close();                                              // the last close: kept, refCount 0
        assertRetained(name, 3);
try (IpcArc<Long> later = IpcArc.load(name, Long.class)) {
    later.retainOnLastClose(payload -> payload.getLong(0) > 0);
    try (Guard<Long> g = later.acquire()) {
        g.set(0L);                                            // every job done
    }
}                                                             // nothing left: unlinked
        assertThat(ShmNames.exists(name)).isFalse();

        Path source = Path.of("../ipcarc-api/src/main/java/io/ipcarc/IpcArc.java");
        List<List<String>> snippets = Snippets.javadoc(source).stream()
                .filter(s -> String.join("\n", s).contains("retainOnLastClose")).toList();
        assertThat(snippets).hasSize(1);
        assertThat(Snippets.appearsIn(snippets.get(0), Path.of("src/test/java/io/ipcarc/posix/RetentionTest.java")))
                .as("the snippet of IpcArc.retainOnLastClose runs in this test").isTrue();
    }
}
