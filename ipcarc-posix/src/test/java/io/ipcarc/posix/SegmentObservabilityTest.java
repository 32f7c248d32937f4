package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ArcOptions;
import io.ipcarc.ArcStatistics;
import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.LockTimeoutException;
import io.ipcarc.PayloadGuard;
import io.ipcarc.PayloadLock;
import io.ipcarc.ShmType;
import io.ipcarc.posix.events.HoldersReapedEvent;
import io.ipcarc.posix.events.LockWaitEvent;
import io.ipcarc.posix.events.OwnerDeathEvent;
import io.ipcarc.posix.lock.MutexWords;
import io.ipcarc.posix.segment.SegmentDescriptor;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.JfrEvents;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a process can see of a segment's life without a debugger: {@link IpcArc#statistics()} and
 * the JFR events of the slow paths ({@code io.ipcarc.LockWait}, {@code io.ipcarc.OwnerDeathRecovered},
 * {@code io.ipcarc.HoldersReaped}), each caused by another JVM as it happens in production: a child
 * holding the lock, a child SIGKILLed holding it, a child asleep in {@code awaitChange}. The
 * uncontended acquisition counts and records nothing.
 */
@Timeout(240)
class SegmentObservabilityTest {
    private static final Duration START = ShmSandbox.START;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String LOCK_WAIT = "io.ipcarc.LockWait";
    private static final String OWNER_DEATH = "io.ipcarc.OwnerDeathRecovered";
    private static final String REAPED = "io.ipcarc.HoldersReaped";

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldCountAndRecordAWaitForALockAnotherJvmHoldsUntilItTimesOut() {
        String name = sandbox.name("obs-wait");
        try (JfrEvents jfr = JfrEvents.record(LOCK_WAIT); IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm holder = sandbox.start("hold", name, "2");
            holder.awaitLine("LOCKED", START);

            assertThatThrownBy(() -> arc.acquire(Duration.ofMillis(300))).isInstanceOf(LockTimeoutException.class);

            ArcStatistics s = arc.statistics();
            assertThat(s.lockWaits()).as("one acquisition found the lock busy").isEqualTo(1);
            assertThat(s.lockWaitTime()).as("and waited its timeout").isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(s.refCount()).isEqualTo(2);
            assertThat(s.liveHolders()).as("this JVM and the holder").isEqualTo(2);
            assertThat(s.ownerDeaths()).isZero();
            RecordedEvent e = jfr.await(LOCK_WAIT, ev -> name.equals(ev.getString("segment")), DELIVERY);
            assertThat(e.getString("lock")).isEqualTo("segment");
            assertThat(e.getInt("ownerPid")).as("the holder's pid, from the lock's owner field").isEqualTo((int) holder.pid());
            assertThat(e.getString("outcome")).isEqualTo("timed-out");
            assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void shouldCountAndRecordAnOwnerDeathAndTheReapOfTheKilledHolder() throws Exception {
        String name = sandbox.name("obs-death");
        try (JfrEvents jfr = JfrEvents.record(LOCK_WAIT, OWNER_DEATH, REAPED); IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm holder = sandbox.start("hold", name, "2");
            holder.awaitLine("LOCKED", START);
            int pid = (int) holder.pid();
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try (Guard<Long> g = arc.acquire()) {
                    return g.ownerDied();
                }
            });
            // The waiter sets FUTEX_WAITERS in the lock word before it sleeps: it is waiting now.
            await().atMost(START).until(() -> (lockWord(name) & MutexWords.FUTEX_WAITERS) != 0);
            holder.kill();
            assertThat(waiter.get()).as("the waiter took the lock from the dead holder").isTrue();

            ArcStatistics died = arc.statistics();
            assertThat(died.lockWaits()).isEqualTo(1);
            assertThat(died.ownerDeaths()).isEqualTo(1);
            assertThat(died.liveHolders()).as("the killed holder's token went with it").isEqualTo(1);
            assertThat(died.refCount()).as("its handle is counted until someone reaps it").isEqualTo(2);
            assertThat(died.holdersReaped()).isZero();
            RecordedEvent wait = jfr.await(LOCK_WAIT, ev -> name.equals(ev.getString("segment")), DELIVERY);
            assertThat(wait.getString("outcome")).isEqualTo("owner-died");
            assertThat(wait.getInt("ownerPid")).isEqualTo(pid);
            RecordedEvent death = jfr.await(OWNER_DEATH, ev -> name.equals(ev.getString("segment")), DELIVERY);
            assertThat(death.getInt("deadOwnerPid")).isEqualTo(pid);
            assertThat(death.getString("lock")).isEqualTo("segment");

            try (IpcArc<Long> second = IpcArc.load(name, Long.class)) { // a load reaps the dead
                ArcStatistics reaped = arc.statistics();
                assertThat(reaped.holdersReaped()).as("counted for the process, over its handles").isEqualTo(1);
                assertThat(second.statistics().holdersReaped()).isEqualTo(1);
                assertThat(reaped.refCount()).as("this JVM's two handles").isEqualTo(2);
                RecordedEvent reap = jfr.await(REAPED, ev -> name.equals(ev.getString("segment")), DELIVERY);
                assertThat(reap.getInt("holders")).isEqualTo(1);
                assertThat(reap.getLong("handles")).isEqualTo(1);
                assertThat(reap.getString("pids")).isEqualTo(String.valueOf(pid));
            }
        }
    }

    @Test
    void shouldCountTheChangeWaitersOfOtherJvmsAndForgetADeadOnesOnTheReap() {
        String name = sandbox.name("obs-waiters");
        try (IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            ChildJvm waiter = sandbox.start("await-in-daemon", name);
            waiter.awaitLine("STARTED", START);
            await().atMost(START).until(() -> arc.statistics().changeWaiters() == 1);
            waiter.kill();
            IpcArc.load(name, Long.class).close(); // reaps, and takes the dead process's sleepers off the count
            assertThat(arc.statistics().changeWaiters()).isZero();
            assertThat(arc.statistics().holdersReaped()).isEqualTo(1);
        }
    }

    @Test
    void shouldCountPayloadLockWaitsAndDeathsApartFromTheSegmentLock() {
        String name = sandbox.name("obs-plock");
        int offset = 2 * PayloadLock.SLOT_BYTES;
        try (JfrEvents jfr = JfrEvents.record(LOCK_WAIT, OWNER_DEATH);
             IpcArc<byte[]> arc = IpcArc.create(name, ShmType.bytes(PayloadLockTest.SIZE), null,
                     ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW).withPayloadLocks(0, PayloadLockTest.LOCKS))) {
            ChildJvm holder = sandbox.add(ChildJvm.start(PayloadLockChild.class, "hold", name, "2"));
            holder.awaitLine("LOCKED", START);
            PayloadLock lock = arc.payloadLock(offset);
            assertThatThrownBy(() -> lock.acquire(Duration.ofMillis(200))).isInstanceOf(LockTimeoutException.class);
            holder.kill();
            try (PayloadGuard g = lock.acquire()) {
                assertThat(g.ownerDied()).isTrue();
            }
            ArcStatistics s = arc.statistics();
            assertThat(s.payloadLockWaits()).isEqualTo(1);
            assertThat(Duration.ofNanos(s.payloadLockWaitNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(s.lockWaits()).as("the segment's own lock was never waited for").isZero();
            assertThat(s.ownerDeaths()).isEqualTo(1);
            RecordedEvent wait = jfr.await(LOCK_WAIT, ev -> name.equals(ev.getString("segment")), DELIVERY);
            assertThat(wait.getString("lock")).isEqualTo("payload@" + offset);
            assertThat(wait.getInt("ownerPid")).isEqualTo((int) holder.pid());
            RecordedEvent death = jfr.await(OWNER_DEATH, ev -> name.equals(ev.getString("segment")), DELIVERY);
            assertThat(death.getString("lock")).isEqualTo("payload@" + offset);
            assertThat(death.getInt("deadOwnerPid")).isEqualTo((int) holder.pid());
        }
    }

    @Test
    void shouldNeitherCountNorRecordUncontendedAcquisitions() {
        String name = sandbox.name("obs-quiet");
        try (JfrEvents jfr = JfrEvents.record(LOCK_WAIT); IpcArc<Long> arc = IpcArc.create(name, 1L)) {
            for (int i = 0; i < 10_000; i++) {
                try (Guard<Long> g = arc.acquire()) {
                    g.set((long) i);
                }
                arc.tryAcquire().orElseThrow().close();
            }
            assertThat(arc.statistics().lockWaits()).isZero();
            // One real wait afterwards, on this thread: once it is delivered, any earlier event of the thread is too.
            ChildJvm holder = sandbox.start("hold", name, "2");
            holder.awaitLine("LOCKED", START);
            assertThatThrownBy(() -> arc.acquire(Duration.ofMillis(50))).isInstanceOf(LockTimeoutException.class);
            jfr.await(LOCK_WAIT, ev -> name.equals(ev.getString("segment")), DELIVERY);
            assertThat(jfr.named(LOCK_WAIT).stream().filter(ev -> name.equals(ev.getString("segment"))))
                    .as("only the contended acquisition").hasSize(1);
            assertThat(arc.statistics().lockWaits()).isEqualTo(1);
        }
    }

    @Test
    void shouldRecordLockWaitsFrom10msAndTheRareEventsAlwaysByDefault() {
        assertThat(JfrEvents.defaultSetting(LockWaitEvent.class, "enabled")).isEqualTo("true");
        assertThat(JfrEvents.defaultSetting(LockWaitEvent.class, "threshold")).isEqualTo("10 ms");
        assertThat(JfrEvents.defaultSetting(OwnerDeathEvent.class, "enabled")).isEqualTo("true");
        assertThat(JfrEvents.defaultSetting(HoldersReapedEvent.class, "enabled")).isEqualTo("true");
        assertThat(EventType.getEventType(OwnerDeathEvent.class).getName()).isEqualTo(OWNER_DEATH);
    }

    /** @return the user mutex's lock word, read from the file (no mapping, no lock) */
    private static int lockWord(String name) throws IOException {
        try (FileChannel ch = FileChannel.open(ShmNames.file(name))) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
            ch.read(b, SegmentDescriptor.USER_MUTEX_OFFSET + MutexWords.LOCK_WORD);
            return b.getInt(0);
        }
    }
}
