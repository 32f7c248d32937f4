package io.ipcarc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipcarc.IpcArcs;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingOptions;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The seed system as separate processes: writer, reporters, SIGKILL, SIGSTOP, restarts. */
@Timeout(300)
class RingSystemTest {
    private static final Duration LONG = Duration.ofSeconds(120);

    /** Unique segment names and the child processes, unlinked and killed after each test. */
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @TempDir
    Path out;

    private ChildJvm app(String... args) {
        return sandbox.add(ChildJvm.start(Main.class, args));
    }

    private ChildJvm reporter(String name, int id, String... more) {
        List<String> a = new ArrayList<>(List.of("reporter", String.valueOf(id), "--name", name, "--out", out.toString()));
        a.addAll(List.of(more));
        return app(a.toArray(String[]::new));
    }

    private ChildJvm writer(String name, long count, long rate, boolean lossless) {
        List<String> a = new ArrayList<>(List.of("writer", "--name", name, "--count", String.valueOf(count), "--rate",
                String.valueOf(rate)));
        if (lossless) {
            a.add("--lossless");
        }
        return app(a.toArray(String[]::new));
    }

    private static void awaitActive(Ring<Tick> ring, int id) {
        await().atMost(LONG).until(() -> ring.readerState(id) == ReaderState.ACTIVE);
    }

    private Ring<Tick> ring(String name, int capacity) {
        return Ring.create(name, Tick.TYPE, RingOptions.defaults().withCapacity(capacity));
    }

    private VerifyApp.Result verify(long complete, int... ids) {
        List<Path> files = new ArrayList<>();
        for (int id : ids) {
            files.add(CsvOutput.csvPath(out, id));
        }
        return VerifyApp.verify(files, complete, System.out);
    }

    @Test
    void shouldWriteEveryEntryExactlyOnceWhenReporterIsKilledTwice() {
        String name = sandbox.name("ring-kill");
        long count = 200_000;
        try (Ring<Tick> ring = ring(name, 1024)) {
            ChildJvm r0 = reporter(name, 0);
            ChildJvm r1 = reporter(name, 1);
            awaitActive(ring, 0);
            awaitActive(ring, 1);
            ChildJvm w = writer(name, count, 0, true);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long firstKill = rnd.nextLong(count / 10, count / 2);
            long secondKill = rnd.nextLong(count / 2 + 1, count * 9 / 10);
            for (long at : new long[] {firstKill, secondKill}) {
                await().atMost(LONG).until(() -> ring.readerPosition(1) >= at);
                r1.kill();
                ChildJvm restarted = reporter(name, 1);
                // registered (slot holds its pid), so its SIGTERM handling is installed too
                await().atMost(LONG).until(() -> ring.readerPid(1) == restarted.pid());
                r1 = restarted;
            }
            assertThat(w.awaitExit(LONG)).as("%s", w).isZero();
            stopAtAndVerify(ring, count, r0, r1);
            assertThat(ring.readerLost(0) + ring.readerLost(1)).isZero();
            assertThat(ring.readerState(1)).as("clean stop keeps the slot").isEqualTo(ReaderState.DETACHED);
        }
    }

    @Test
    void shouldContinueWithoutGapOrRepeatWhenWriterIsKilled() {
        String name = sandbox.name("ring-writer");
        long count = 60_000;
        try (Ring<Tick> ring = ring(name, 1024)) {
            ChildJvm r0 = reporter(name, 0);
            awaitActive(ring, 0);
            ChildJvm w1 = writer(name, count, 20_000, true);
            await().atMost(LONG).until(() -> ring.writePosition() >= 15_000);
            w1.kill();
            long stoppedAt = ring.writePosition();
            assertThat(stoppedAt).isLessThan(count);
            ChildJvm w2 = writer(name, count, 0, true);
            assertThat(w2.awaitLine("writer: reopened", LONG)).contains("continuing at seq=" + stoppedAt);
            assertThat(w2.awaitExit(LONG)).isZero();
            await().atMost(LONG).until(() -> ring.readerPosition(0) == count);
            r0.terminate();
            assertThat(r0.awaitExit(LONG)).isZero();
            VerifyApp.Result v = verify(count, 0);
            assertThat(v.ok()).as("%s", v.summary()).isTrue();
        }
    }

    @Test
    void shouldReportLostRangeWhenPausedReporterIsLappedWithoutSlowingTheWriter() throws Exception {
        String name = sandbox.name("ring-lapped");
        long count = 300_000;
        try (Ring<Tick> ring = ring(name, 1024)) {
            ChildJvm r0 = reporter(name, 0);
            r0.awaitLine("reporter 0: ring=", LONG); // claimed and running: not stopped inside the lock
            r0.signal("STOP");
            try {
                ChildJvm w = writer(name, count, 0, false);
                assertThat(w.awaitExit(LONG)).as("the writer finishes while the reporter is stopped").isZero();
                assertThat(ring.writePosition()).isEqualTo(count);
            } finally {
                r0.signal("CONT");
            }
            await().atMost(LONG).until(() -> ring.readerPosition(0) == count);
            String lost = r0.awaitLine("reporter 0: LOST seq", LONG);
            assertThat(lost).matches("reporter 0: LOST seq \\d+\\.\\.\\d+ \\(\\d+ entries\\): the writer overwrote them");
            assertThat(ring.readerLost(0)).isPositive();
            r0.terminate();
            assertThat(r0.awaitExit(LONG)).isZero();
            VerifyApp.Result v = verify(-1, 0);
            assertThat(v.ok()).as("no torn line, no duplicate: %s", v.summary()).isTrue();
            assertThat(v.summary().get(0)).contains("..299999");
        }
    }

    @Test
    void shouldCatchUpFromOldestEntryWhenStartedLate() {
        String name = sandbox.name("ring-late");
        try (Ring<Tick> ring = ring(name, 4096)) {
            // 100 entries/s: the ring (4096, 40 s) cannot fill while the reporter's JVM starts,
            // even on a loaded machine.
            ChildJvm w = writer(name, 1_000_000, 100, false);
            await().atMost(LONG).until(() -> ring.writePosition() >= 100);
            ChildJvm r0 = reporter(name, 0);
            awaitActive(ring, 0);
            assertThat(ring.writePosition()).as("still less than one ring written").isLessThan(4096);
            await().atMost(LONG).until(() -> ring.readerPosition(0) >= 400);
            r0.terminate();
            assertThat(r0.awaitExit(LONG)).isZero();
            w.terminate();
            assertThat(w.awaitExit(LONG)).isZero();
            VerifyApp.Result v = verify(-1, 0);
            assertThat(v.ok()).as("%s", v.summary()).isTrue();
            assertThat(v.summary().get(0)).contains(", seq 0..").contains("gaps 0");
            assertThat(ring.readerLost(0)).isZero();
        }
    }

    @Test
    void shouldRefuseSecondReporterWithSameIdAndIdsOutsideRange() {
        String name = sandbox.name("ring-ids");
        try (Ring<Tick> ring = ring(name, 1024)) {
            ChildJvm first = reporter(name, 3);
            awaitActive(ring, 3);
            ChildJvm second = reporter(name, 3);
            assertThat(second.awaitExit(LONG)).isEqualTo(1);
            assertThat(second.lines()).anyMatch(l -> l.contains("reader id already in use") && l.contains("reader=3")
                    && l.contains("pid=" + first.pid()));
            assertThat(first.isAlive()).isTrue();
            for (String bad : new String[] {"8", "64", "-1", "x"}) {
                ChildJvm c = app("reporter", bad, "--name", name, "--out", out.toString());
                assertThat(c.awaitExit(LONG)).as("reporter %s", bad).isEqualTo(2);
                assertThat(c.lines()).as("reporter %s", bad).singleElement().asString().startsWith("usage error: ");
            }
            assertThat(ring.readerState(3)).isEqualTo(ReaderState.ACTIVE);
            first.terminate();
            assertThat(first.awaitExit(LONG)).isZero();
        }
    }

    @Test
    void shouldMoveOldCsvAsideWhenANewRingStartsAtZero() throws IOException {
        String name = sandbox.name("ring-new");
        long oldId;
        try (Ring<Tick> ring = ring(name, 1024)) {
            oldId = ring.ringId();
            ChildJvm r0 = reporter(name, 0);
            awaitActive(ring, 0);
            assertThat(writer(name, 5_000, 0, true).awaitExit(LONG)).isZero();
            await().atMost(LONG).until(() -> ring.readerPosition(0) == 5_000);
            r0.terminate();
            assertThat(r0.awaitExit(LONG)).isZero();
        }
        assertThat(ShmNames.exists(name)).as("everyone closed: the ring is gone").isFalse();
        try (Ring<Tick> ring = ring(name, 1024)) {
            assertThat(ring.ringId()).isNotEqualTo(oldId);
            ChildJvm r0 = reporter(name, 0);
            assertThat(r0.awaitLine("reporter 0: output came from another ring", LONG)).contains("moved it aside");
            awaitActive(ring, 0);
            assertThat(writer(name, 3_000, 0, true).awaitExit(LONG)).isZero();
            await().atMost(LONG).until(() -> ring.readerPosition(0) == 3_000);
            r0.terminate();
            assertThat(r0.awaitExit(LONG)).isZero();
        }
        assertThat(verify(3_000, 0).ok()).isTrue();
        String oldHex = java.util.HexFormat.of().toHexDigits(oldId);
        try (Stream<Path> files = Files.list(out)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith("output_0.ring-" + oldHex)
                    && p.toString().endsWith(".csv")).toList();
            assertThat(aside).hasSize(1);
            assertThat(VerifyApp.verify(aside, 5_000, System.out).ok()).isTrue();
        }
    }

    @Test
    void shouldDeliverEverythingToReportersThatSleepWithBlockStrategy() {
        String name = sandbox.name("ring-block");
        long count = 20_000;
        try (Ring<Tick> ring = ring(name, 1024)) {
            ChildJvm r0 = reporter(name, 0, "--wait", "block");
            ChildJvm r1 = reporter(name, 1, "--wait", "block");
            awaitActive(ring, 0);
            awaitActive(ring, 1);
            // a slow writer: the reporters sleep between entries and must be woken for each
            ChildJvm w = writer(name, count, 5_000, true);
            assertThat(w.awaitExit(LONG)).isZero();
            stopAtAndVerify(ring, count, r0, r1);
        }
    }

    @Test
    void shouldDeliverEverythingFromSequenceZeroToReportersStartedAfterALosslessWriterThatReservedThem() {
        String name = sandbox.name("ring-reserved");
        long count = 200_000;
        ChildJvm w = app("writer", "--name", name, "--count", String.valueOf(count), "--rate", "0", "--lossless",
                "--readers", "0,1", "--capacity", "1024");
        await().atMost(LONG).until(() -> ShmNames.exists(name));
        try (Ring<Tick> ring = Ring.open(name, Tick.class)) {
            await().atMost(LONG).until(() -> ring.writePosition() >= 1024);
            assertThat(ring.writePosition()).as("the writer waits for the reserved readers").isEqualTo(1024);
            ChildJvm r0 = reporter(name, 0);
            ChildJvm r1 = reporter(name, 1);
            assertThat(w.awaitExit(LONG)).as("%s", w).isZero();
            stopAtAndVerify(ring, count, r0, r1);
            assertThat(ring.readerLost(0) + ring.readerLost(1)).isZero();
        }
    }

    @Test
    void shouldDeliverEveryTickToAReporterStartedAfterALosslessWriterRanAloneToItsCount() {
        String name = sandbox.name("ring-alone");
        ChildJvm w = app("writer", "--name", name, "--count", "5000", "--rate", "0", "--lossless", "--readers", "0",
                "--capacity", "8192");
        assertThat(w.awaitExit(LONG)).as("%s", w).isZero();
        assertThat(w.lines()).anyMatch(l -> l.startsWith("writer: the ring keeps what its registered readers have not read"
                + " after the last close (reader 0: 5000 unread)") && l.endsWith("ipcarc rm " + name + " discards it"));
        reporterStartedLaterGetsEveryTick(name, 5_000);
    }

    @Test
    void shouldDeliverEveryTickToAReporterStartedAfterALosslessWriterWasStoppedWithSigtermWhileWaiting() {
        String name = sandbox.name("ring-term");
        ChildJvm w = app("writer", "--name", name, "--rate", "0", "--lossless", "--readers", "0", "--capacity", "1024");
        await().atMost(LONG).until(() -> ShmNames.exists(name));
        try (Ring<Tick> ring = Ring.open(name, Tick.class)) {
            await().atMost(LONG).until(() -> ring.writePosition() == 1024);
        }
        w.terminate();
        assertThat(w.awaitExit(LONG)).as("%s", w).isZero();
        assertThat(w.lines()).anyMatch(l -> l.startsWith("writer: stopped at seq=1024:"))
                .anyMatch(l -> l.contains("(reader 0: 1024 unread)"));
        reporterStartedLaterGetsEveryTick(name, 1024);
    }

    /** The writer is gone and the ring kept for reader 0: reporter 0 writes ticks 0 to count-1, and its stop removes the ring. */
    private void reporterStartedLaterGetsEveryTick(String name, long count) {
        assertThat(ShmNames.exists(name)).as("kept for reader 0").isTrue();
        assertThat(IpcArcs.inspect(name).isRetained()).isTrue();
        ChildJvm r0 = reporter(name, 0);
        assertThat(r0.awaitLine("reporter 0: ring=", LONG)).contains("resuming at seq=0")
                .endsWith("no writer now: reading up to seq=" + count + " what the ring kept");
        await().atMost(LONG).until(() -> IpcArcs.inspect(name).payload().contains(" position=" + count + " lag"));
        r0.terminate();
        assertThat(r0.awaitExit(LONG)).isZero();
        VerifyApp.Result v = verify(count, 0);
        assertThat(v.ok()).as("%s", v.summary()).isTrue();
        assertThat(ShmNames.exists(name)).as("reader 0 read everything: the reporter's close removed the ring").isFalse();
    }

    /**
     * Waits until reporters 0..n-1 stored position {@code count}, stops them with SIGTERM (exit
     * 0 expected), and verifies that their CSVs hold exactly 0..count-1, identical.
     */
    private void stopAtAndVerify(Ring<Tick> ring, long count, ChildJvm... reporters) {
        await().atMost(LONG).until(() -> {
            for (int i = 0; i < reporters.length; i++) {
                if (ring.readerPosition(i) != count) {
                    return false;
                }
            }
            return true;
        });
        for (ChildJvm r : reporters) {
            r.terminate();
        }
        int[] ids = new int[reporters.length];
        for (int i = 0; i < reporters.length; i++) {
            assertThat(reporters[i].awaitExit(LONG)).as("reporter %d stops cleanly on SIGTERM", i).isZero();
            ids[i] = i;
        }
        VerifyApp.Result v = verify(count, ids);
        assertThat(v.ok()).as("%s", v.summary()).isTrue();
    }
}
