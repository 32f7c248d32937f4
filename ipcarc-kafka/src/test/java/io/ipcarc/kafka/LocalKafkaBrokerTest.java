package io.ipcarc.kafka;

import static io.ipcarc.kafka.SharedBroker.broker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.kafka.broker.LocalKafkaBroker;
import io.ipcarc.launcher.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test broker itself, against the real thing: transactions as a read_committed consumer
 * sees them (on the module's shared broker), a SIGKILL with a restart on the same ports and data,
 * and no broker or log directory left behind. A clean stop of 10 s and a restart are exercised by
 * {@link KafkaRingForwarderSystemTest#brokerStoppedForTenSecondsMidRunAndRestartedLosesAndDuplicatesNothing()}.
 */
@Timeout(420)
@ExtendWith(SharedBroker.class)
class LocalKafkaBrokerTest {
    private static final Path TARGET = Path.of("target");
    private static final String TOPIC = "harness";
    private static final long RING = 42;
    private static final RingSource SOURCE = new RingSource("test-host", "/harness", 0);

    @Test
    void transactionalProducerAndReadCommittedConsumerSeeOnlyCommittedRecords() {
        String topic = TOPIC + "-visibility";
        try (KafkaProducer<byte[], byte[]> producer = TestClients.transactional(broker(), "harness-commit-abort")) {
            broker().createTopic(topic, 1);
            producer.initTransactions();
            TestClients.committed(producer, topic, 0, RING, SOURCE, 0, 100);
            TestClients.aborted(producer, topic, 0, RING, SOURCE, 100, 150);
            TestClients.committed(producer, topic, 0, RING, SOURCE, 150, 200);

            assertThat(seqs(broker().readAll(topic, IsolationLevel.READ_COMMITTED)))
                    .containsExactlyElementsOf(concat(range(0, 100), range(150, 200)));
            assertThat(seqs(broker().readAll(topic, IsolationLevel.READ_UNCOMMITTED)))
                    .as("the aborted records are in the log, only read_committed hides them")
                    .containsExactlyElementsOf(range(0, 200));
        }
    }

    @Test
    void sigkilledAndRestartedTheBrokerKeepsCommittedDataAndANewProducerFencesTheOldOne() {
        long pid;
        Path data;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(TARGET);
             KafkaProducer<byte[], byte[]> old = TestClients.transactional(broker, "harness-kill")) {
            broker.createTopic(TOPIC, 1);
            old.initTransactions();
            TestClients.committed(old, TOPIC, 0, RING, SOURCE, 0, 100);
            TestClients.leftOpen(old, TOPIC, 0, RING, SOURCE, 100, 150);

            long killed = broker.pid();
            broker.kill();
            assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            broker.restart();
            System.out.println("broker restarted after SIGKILL in " + broker.lastStartup().toMillis() + " ms");

            try (KafkaProducer<byte[], byte[]> successor = TestClients.transactional(broker, "harness-kill")) {
                successor.initTransactions(); // fences the old producer and aborts its open transaction
                TestClients.committed(successor, TOPIC, 0, RING, SOURCE, 100, 200);
            }
            assertThatThrownBy(old::commitTransaction).isInstanceOf(ProducerFencedException.class);

            assertThat(seqs(broker.readAll(TOPIC, IsolationLevel.READ_COMMITTED)))
                    .containsExactlyElementsOf(range(0, 200));
            pid = broker.pid();
            data = broker.dataDir();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("broker pid %d after close", pid).isFalse();
        assertThat(data).as("log directory after close").doesNotExist();
    }

    @Test
    void aBrokerWhoseStartingJvmWasKilledHaltsAndLeavesNoProcess() throws IOException {
        Path parent = Files.createTempDirectory(TARGET, "orphan-");
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), BrokerOwner.class, parent.toString())) {
            String line = child.awaitLine("BROKER ", Duration.ofSeconds(150));
            long broker = Long.parseLong(line.substring("BROKER ".length()));
            assertThat(ProcessHandle.of(broker)).isPresent();
            child.kill();
            await("broker pid " + broker + " halting after its owner was killed").atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(broker).map(p -> !p.isAlive()).orElse(true));
        } finally {
            try (Stream<Path> all = Files.walk(parent)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * The JVM of {@link #aBrokerWhoseStartingJvmWasKilledHaltsAndLeavesNoProcess()}: starts a broker, prints its pid
     * and waits to be killed.
     */
    static final class BrokerOwner {
        private BrokerOwner() {
        }

        public static void main(String[] args) throws InterruptedException {
            LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]));
            System.out.println("BROKER " + broker.pid());
            Thread.currentThread().join(); // until the test kills this JVM
        }
    }

    private static List<Long> seqs(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> RecordFormat.u64(r.key())).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
