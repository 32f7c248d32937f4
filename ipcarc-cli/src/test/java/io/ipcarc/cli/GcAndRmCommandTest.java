package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.IpcArc;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gc} and {@code rm} against segments of other JVMs. Every gc is limited to this test
 * JVM's names with {@code --prefix}: /dev/shm is shared with whatever else runs on the host.
 */
@Timeout(180)
class GcAndRmCommandTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldListOrphanAfterAllHoldersAreKilledAndRemoveItWithGcRemove() {
        String name = sandbox.name("orphan");
        ChildJvm creator = sandbox.start("create-wait", name, "77");
        creator.awaitLine("CREATED", START);
        ChildJvm loader = sandbox.start("load-wait", name);
        loader.awaitLine("LOADED", START);
        assertThat(Cli.run("gc", "--prefix", ShmNames.prefix()).out()).doesNotContain(name);

        creator.kill();
        assertThat(Cli.run("gc", "--prefix", ShmNames.prefix()).out()).as("one holder is still alive").doesNotContain(name);
        loader.kill();

        Cli gc = Cli.run("gc", "--prefix", ShmNames.prefix());
        assertThat(gc.code()).isZero();
        assertThat(gc.line(name)).contains("i64", creator.pid() + "[1]@", loader.pid() + "[1]@", " 77");
        assertThat(ShmNames.exists(name)).as("gc without --remove removes nothing").isTrue();

        Cli removed = Cli.run("gc", "--remove", "--prefix", ShmNames.prefix());
        assertThat(removed.code()).isZero();
        assertThat(removed.out()).contains("removed " + name + " type=i64");
        assertThat(ShmNames.exists(name)).isFalse();
        assertThat(Cli.run("gc", "--prefix", ShmNames.prefix()).out().trim()).isEqualTo("no orphans");
    }

    @Test
    void shouldListAndRemoveSegmentAbandonedByACreatorKilledBeforeReady() {
        String name = sandbox.name("abandoned");
        ChildJvm creator = sandbox.start(java.util.List.of("-Dio.ipcarc.debug.stallBeforeReadyMillis=600000"), "create-stall", name);
        creator.awaitLine("STALLING_BEFORE_READY", START);
        assertThat(Cli.run("gc", "--prefix", ShmNames.prefix()).out()).as("its creator is still at work").doesNotContain(name);

        creator.kill();
        Cli gc = Cli.run("gc", "--prefix", ShmNames.prefix());
        assertThat(gc.line(name)).contains("i64", "(abandoned: creator " + creator.pid() + " died before it was ready)");
        Cli removed = Cli.run("gc", "--remove", "--prefix", ShmNames.prefix());
        assertThat(removed.out()).contains("removed " + name + " type=i64 deadHolders=" + creator.pid() + "[1]@")
                .contains("(abandoned: creator " + creator.pid() + " died before it was ready)");
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldNeverRemoveSegmentWithLiveHolderInGc() {
        String orphan = sandbox.name("gone");
        String alive = sandbox.name("alive");
        ChildJvm dead = sandbox.start("create-wait", orphan, "1");
        ChildJvm living = sandbox.start("create-wait", alive, "2");
        dead.awaitLine("CREATED", START);
        living.awaitLine("CREATED", START);
        ChildJvm lateLoader = sandbox.start("load-wait", alive);
        lateLoader.awaitLine("LOADED", START);
        dead.kill();
        living.kill(); // the segment "alive" still has lateLoader

        Cli gc = Cli.run("gc", "--remove", "--prefix", ShmNames.prefix());

        assertThat(gc.out()).contains("removed " + orphan).doesNotContain(alive);
        assertThat(ShmNames.exists(alive)).isTrue();
        try (IpcArc<Long> arc = IpcArc.load(alive, Long.class)) {
            assertThat(arc.read()).isEqualTo(2L);
        }
    }

    @Test
    void shouldRefuseRmWhileLiveHolderUnlessForced() {
        String name = sandbox.name("rm");
        ChildJvm creator = sandbox.start("create-wait", name, "3");
        creator.awaitLine("CREATED", START);

        Cli refused = Cli.run("rm", name);
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.errLines()).containsExactly("ipcarc rm: segment has live holders, not removed: name=" + name
                + ", pids=[" + creator.pid() + "] (ipcarc rm --force removes it anyway)");
        assertThat(ShmNames.exists(name)).isTrue();

        Cli forced = Cli.run("rm", "--force", name.substring(1));
        assertThat(forced.code()).isZero();
        assertThat(forced.out()).startsWith("removed " + name + " (forced: 1 live holders");
        assertThat(ShmNames.exists(name)).isFalse();
        assertThat(creator.isAlive()).isTrue();

        Cli again = Cli.run("rm", name);
        assertThat(again.code()).isEqualTo(3);
        assertThat(again.err()).contains("segment not found");
    }

    @Test
    void shouldShowARetainedRingApartFromOrphansKeepItInGcRemoveAndRemoveItWithRm() {
        String name = sandbox.name("retained");
        ChildJvm producer = sandbox.add(ChildJvm.start(RingChild.class, name, "retain"));
        producer.awaitLine("CLOSED", START);
        assertThat(producer.awaitExit(START)).isZero();

        assertThat(Cli.run("ls", "--prefix", name).line(name)).contains("bytes<ipcarc.ring/3>", " retained ");
        Cli inspect = Cli.run("inspect", name);
        assertThat(inspect.line("state")).endsWith(" ready");
        assertThat(inspect.line("refcount")).endsWith(" 0");
        assertThat(inspect.line("orphan")).endsWith(" no");
        assertThat(inspect.line("retained")).contains("yes: kept on purpose by its last close", "ipcarc rm removes it");
        assertThat(inspect.line("value")).endsWith("write=10 writer=none (last lossless) registered=[0: detached position=0"
                + " lag=10 lost=0]");
        assertThat(Cli.run("inspect", name, "--json").out()).contains("\"orphan\": false", "\"retained\": true");

        Cli gc = Cli.run("gc", "--prefix", ShmNames.prefix());
        assertThat(gc.code()).isZero();
        assertThat(gc.lines()).contains("no orphans").anyMatch(l -> l.startsWith("RETAINED "))
                .anyMatch(l -> l.startsWith("retained: kept on purpose by its last close"));
        assertThat(gc.line(name)).contains("bytes<ipcarc.ring/3>", "lag=10");

        Cli removed = Cli.run("gc", "--remove", "--prefix", ShmNames.prefix());
        assertThat(removed.code()).isZero();
        assertThat(removed.out()).startsWith("no orphans removed").contains("kept " + name + " type=bytes<ipcarc.ring/3>",
                "(retained: ipcarc rm " + name + " removes it)");
        assertThat(ShmNames.exists(name)).as("gc --remove keeps a retained ring").isTrue();

        Cli rm = Cli.run("rm", name);
        assertThat(rm.code()).isZero();
        assertThat(rm.out().trim()).isEqualTo("removed " + name);
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldRemoveOrphanWithRmWithoutForce() {
        String name = sandbox.name("rmorphan");
        ChildJvm creator = sandbox.start("create-wait", name, "4");
        creator.awaitLine("CREATED", START);
        creator.kill();

        Cli rm = Cli.run("rm", name);
        assertThat(rm.code()).isZero();
        assertThat(rm.out().trim()).isEqualTo("removed " + name);
        assertThat(ShmNames.exists(name)).isFalse();
    }
}
