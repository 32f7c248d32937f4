package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcException;
import io.ipcarc.IpcArcs;
import io.ipcarc.LockInfo;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInUseException;
import io.ipcarc.SegmentInfo;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listing API: read-only inspection of real segments, foreign files and safe removal. */
@Timeout(180)
class SegmentInspectionTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private ChildJvm child(String... args) {
        return sandbox.start(args);
    }

    @Test
    void shouldInspectLockHeldByAnotherJvmWithoutChangingAnyByte() throws Exception {
        String name = sandbox.name("held");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm holder = child("hold", name, "42");
            holder.awaitLine("LOCKED", START);
            byte[] before = Files.readAllBytes(ShmNames.file(name));

            SegmentInfo s = IpcArcs.inspect(name);

            assertThat(Files.readAllBytes(ShmNames.file(name))).isEqualTo(before);
            assertThat(s.kind()).isEqualTo(SegmentInfo.Kind.SEGMENT);
            assertThat(s.descriptor()).isEqualTo("i64");
            assertThat(s.payload()).as("the committed value; the holder writes its shadow copy").isEqualTo("1");
            assertThat(s.payloadMode()).isEqualTo("crash-atomic");
            assertThat(s.state()).isEqualTo("ready");
            assertThat(s.refCount()).isEqualTo(2).isEqualTo(arc.refCount());
            assertThat(s.lock().state()).isEqualTo(LockInfo.State.HELD);
            assertThat((long) s.lock().pid()).isEqualTo(holder.pid());
            assertThat(s.lock().tid()).isPositive();
            assertThat(s.liveHolders()).extracting(h -> (long) h.pid())
                    .containsExactlyInAnyOrder(ProcessHandle.current().pid(), holder.pid());

            holder.kill();
            SegmentInfo after = IpcArcs.inspect(name);
            assertThat(after.lock().state()).isEqualTo(LockInfo.State.OWNER_DIED);
            assertThat((long) after.lock().pid()).isEqualTo(holder.pid());
            assertThat(after.deadHolders()).extracting(h -> (long) h.pid()).containsExactly(holder.pid());
        }
    }

    @Test
    void shouldReportForeignAndTruncatedFilesAsForeignAndNeverRemoveThem() throws Exception {
        String small = sandbox.name("foreign-small");
        String big = sandbox.name("foreign-big");
        String truncated = sandbox.truncatedSegment("truncated");
        Files.write(ShmNames.file(small), "hello".getBytes());
        byte[] noise = new byte[3 * 4096];
        Arrays.fill(noise, (byte) 0x5a);
        Files.write(ShmNames.file(big), noise);

        assertThat(IpcArcs.list()).extracting(SegmentInfo::name).doesNotContain(small, big, truncated);
        assertThat(IpcArcs.list(true)).filteredOn(s -> List.of(small, big, truncated).contains(s.name()))
                .extracting(SegmentInfo::kind).containsOnly(SegmentInfo.Kind.FOREIGN).hasSize(3);
        assertThat(IpcArcs.inspect(truncated).problem()).contains("object size does not match its header");
        for (String n : List.of(small, big, truncated)) {
            byte[] before = Files.readAllBytes(ShmNames.file(n));
            assertThatThrownBy(() -> IpcArcs.remove(IpcArcs.inspect(n), true)).isInstanceOf(IpcArcException.class)
                    .hasMessageContaining("never removed").hasMessageContaining(n);
            assertThat(Files.readAllBytes(ShmNames.file(n))).isEqualTo(before);
        }
        assertThat(IpcArcs.removeOrphans(ShmNames.prefix())).extracting(SegmentInfo::name).doesNotContain(small, big, truncated);
        assertThat(List.of(small, big, truncated)).allMatch(ShmNames::exists);
    }

    @Test
    void shouldRemoveOrphanButRefuseSegmentWithLiveHolderUnlessForced() {
        String orphan = sandbox.name("orphan");
        String used = sandbox.name("used");
        ChildJvm creator = child("create-wait", orphan, "11");
        creator.awaitLine("CREATED", START);
        ChildJvm user = child("create-wait", used, "12");
        user.awaitLine("CREATED", START);
        creator.kill();

        assertThat(IpcArcs.orphans(ShmNames.prefix())).extracting(SegmentInfo::name).contains(orphan).doesNotContain(used);
        assertThatThrownBy(() -> IpcArcs.remove(IpcArcs.inspect(used), false)).isInstanceOf(SegmentInUseException.class)
                .hasMessageContaining("pids=[" + user.pid() + "]");
        assertThat(IpcArcs.removeOrphans(ShmNames.prefix())).extracting(SegmentInfo::name).contains(orphan).doesNotContain(used);
        assertThat(ShmNames.exists(orphan)).isFalse();
        assertThat(ShmNames.exists(used)).isTrue();

        SegmentInfo inspected = IpcArcs.inspect(used);
        assertThat(IpcArcs.remove(inspected, true)).isEqualTo(Removal.REMOVED);
        assertThat(ShmNames.exists(used)).isFalse();
        assertThat(IpcArcs.remove(inspected, true)).isEqualTo(Removal.GONE);
        assertThatThrownBy(() -> IpcArcs.inspect(used)).isInstanceOf(SegmentNotFoundException.class);
    }

    @Test
    void shouldListAndRemoveSegmentWhoseCreatorDiedBeforeReadyOnlyOnceTheCreatorIsDead() {
        String name = sandbox.name("abandoned");
        ChildJvm creator = sandbox.start(List.of("-Dio.ipcarc.debug.stallBeforeReadyMillis=600000"), "create-stall", name);
        creator.awaitLine("STALLING_BEFORE_READY", START);
        SegmentInfo stalled = IpcArcs.inspect(name);
        assertThat(stalled.state()).isEqualTo("initializing");
        assertThat(stalled.creatorAlive()).isTrue();
        assertThat(IpcArcs.orphans(ShmNames.prefix())).extracting(SegmentInfo::name).as("still being created").doesNotContain(name);
        assertThat(IpcArcs.removeOrphans(ShmNames.prefix())).extracting(SegmentInfo::name).doesNotContain(name);
        assertThat(ShmNames.exists(name)).isTrue();

        creator.kill();
        assertThat(IpcArcs.orphans(ShmNames.prefix())).extracting(SegmentInfo::name).contains(name);
        assertThat(IpcArcs.removeOrphans(ShmNames.prefix())).extracting(SegmentInfo::name).contains(name);
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldReportFifoAsForeignWithoutOpeningIt() throws Exception {
        String fifo = sandbox.name("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", ShmNames.file(fifo).toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        SegmentInfo s = IpcArcs.inspect(fifo);

        assertThat(s.kind()).isEqualTo(SegmentInfo.Kind.FOREIGN);
        assertThat(s.problem()).isEqualTo("not a regular file");
        assertThat(ShmNames.file(fifo)).exists();
    }

    @Test
    void shouldNotRemoveNameThatWasReplacedSinceItWasInspected() {
        String name = sandbox.name("replaced");
        SegmentInfo old;
        try (IpcArc<Long> first = IpcArc.create(name, 1L)) {
            old = IpcArcs.inspect(first.name());
        }
        try (IpcArc<Long> second = IpcArc.create(name, 2L)) {
            assertThat(IpcArcs.remove(old, true)).isEqualTo(Removal.REPLACED);
            assertThat(second.read()).isEqualTo(2L);
            assertThat(ShmNames.exists(name)).isTrue();
        }
        assertThat(Path.of("/dev/shm", name.substring(1))).doesNotExist();
    }
}
