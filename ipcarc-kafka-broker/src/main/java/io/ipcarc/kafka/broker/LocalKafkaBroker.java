package io.ipcarc.kafka.broker;

import static org.awaitility.Awaitility.await;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) in a JVM of its
 * own, on loopback ports picked per instance, with a fresh log directory.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of("target"))) {
 *     broker.createTopic("ticks", 1);
 *     Map<String, Object> config = broker.clientConfig();   // bootstrap.servers=127.0.0.1:PORT
 *     broker.stop();                                        // SIGTERM, clean shutdown
 *     broker.restart();                                     // same ports, same data
 *     broker.pause();                                       // SIGSTOP: hangs, connections open
 *     broker.resume();                                      // SIGCONT
 *     broker.kill();                                        // SIGKILL
 *     broker.restart();                                     // log recovery, same data
 * }                                                         // killed if alive, log dir deleted
 * }</pre>
 *
 * <p>Everything lives in {@code PARENT/kafka-broker-PID-N/}: {@code server.properties},
 * {@code broker.out} (the broker's stdout and stderr, kept for debugging; its log is at WARN)
 * and {@code data/} (the log directory, deleted by {@link #close()}). The broker's class path
 * is the dependency tree of {@code org.apache.kafka:kafka_2.13}, written by the build into
 * {@code broker-classpath.txt} beside this class. The broker halts by itself when the JVM that
 * started it ends, so a killed test run leaves no broker behind.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> BROKER_LOG = List.of("-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info", "-Dlog4j2.level=WARN");
    private static final List<String> TOOL_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dlog4j2.level=WARN");

    private final Path dir;
    private final Path dataDir;
    private final Path properties;
    private final Path output;
    private final int port;
    private final int controllerPort;
    private final String classPath;
    private final JvmProfile profile;
    private final Thread shutdownHook;
    private Process process;
    private Duration lastStartup = Duration.ZERO;
    private Duration lastStop = Duration.ZERO;

    /** How the broker JVM is tuned. */
    public enum JvmProfile {
        /** For tests: C1 only and the serial collector, so the broker starts sooner on a busy 2-core machine. */
        QUICK_START(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms128m", "-Xmx512m")),
        /** For benchmarks: both compilers and G1, as Kafka's own start script runs it. */
        THROUGHPUT(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Xms512m", "-Xmx1g"));

        private final List<String> options;

        JvmProfile(List<String> options) {
            this.options = options;
        }
    }

    private LocalKafkaBroker(Path dir, int port, int controllerPort, String classPath, JvmProfile profile) {
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.properties = dir.resolve("server.properties");
        this.output = dir.resolve("broker.out");
        this.port = port;
        this.controllerPort = controllerPort;
        this.classPath = classPath;
        this.profile = profile;
        this.shutdownHook = new Thread(this::destroyProcess, "kafka-broker-shutdown-" + port);
    }

    /**
     * Writes the configuration, formats a fresh log directory and starts the broker; returns
     * once it answers an admin request.
     *
     * @param parent the directory to work in (for tests, the module's {@code target/})
     * @return the running broker, tuned for a {@link JvmProfile#QUICK_START}
     * @throws IllegalStateException naming the output file when the broker does not start
     */
    public static LocalKafkaBroker start(Path parent) {
        return start(parent, JvmProfile.QUICK_START);
    }

    /**
     * Starts a broker JVM with a JVM profile and waits until it answers an admin request.
     *
     * @param parent the directory to work in
     * @param profile how the broker JVM is tuned
     * @return the running broker
     * @throws IllegalStateException naming the output file when the broker does not start
     * @see #start(Path)
     */
    public static LocalKafkaBroker start(Path parent, JvmProfile profile) {
        Path dir = parent.toAbsolutePath().resolve("kafka-broker-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
        int[] ports = freePorts(2);
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, ports[0], ports[1], brokerClassPath(), profile);
        try {
            broker.configure();
            broker.format();
            broker.launch();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * The address clients connect to.
     *
     * @return {@code 127.0.0.1:PORT}, the value of {@code bootstrap.servers}
     */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * The port of the client listener.
     *
     * @return the loopback port of the client listener (kept across restarts)
     */
    public int port() {
        return port;
    }

    /**
     * A client configuration that reaches this broker.
     *
     * @return a new map holding {@code bootstrap.servers}, to add client settings to
     */
    public Map<String, Object> clientConfig() {
        return new java.util.HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * The process id of the broker JVM.
     *
     * @return the pid of the running broker JVM
     */
    public long pid() {
        requireRunning("pid");
        return process.pid();
    }

    /**
     * Whether the broker JVM is alive.
     *
     * @return whether the broker JVM runs
     */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * How long the last (re)start took.
     *
     * @return from launching the broker JVM to its first answered admin request, for the last (re)start
     */
    public Duration lastStartup() {
        return lastStartup;
    }

    /**
     * How long the last stop took.
     *
     * @return how long the last {@link #stop()} took until the JVM exited
     */
    public Duration lastStop() {
        return lastStop;
    }

    /**
     * The file that collects what the broker JVM prints.
     *
     * @return the file holding the broker's stdout and stderr (all starts appended)
     */
    public Path output() {
        return output;
    }

    /**
     * The directory where the broker keeps its log segments and metadata.
     *
     * @return the broker's log directory
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until it exists.
     *
     * @param name the topic
     * @param partitions its partition count
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic: topic=" + name + ", broker=" + bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic: topic=" + name, e);
        }
    }

    /**
     * Reads partition 0 of a topic from its start to its current end, as a consumer of the given
     * isolation sees it: {@code READ_COMMITTED} stops at the last stable offset and skips aborted
     * records.
     *
     * @param topic the topic
     * @param isolation the consumer's isolation level
     * @return every record of partition 0 the consumer sees, in offset order
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, IsolationLevel isolation) {
        Map<String, Object> c = clientConfig();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            await("reading " + tp + " to offset " + end).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).records(tp).forEach(out::add);
                        return consumer.position(tp) >= end;
                    });
        }
        return out;
    }

    /**
     * Stops the broker with SIGTERM (a clean shutdown) and waits until its JVM exited; after
     * 60 s it is killed.
     */
    public void stop() {
        requireRunning("stop");
        long t0 = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("broker did not stop within " + STOP_TIMEOUT.toSeconds()
                        + " s of SIGTERM: killed it; output=" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted stopping the broker: pid=" + process.pid(), e);
        }
        lastStop = Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Freezes the broker JVM with SIGSTOP: connections stay open and requests go unanswered, as
     * with a broker that hangs (a long GC pause, a frozen VM). Call {@link #resume()} in a finally
     * block: a JVM killed while its broker is paused leaves the broker stopped ({@link #close()} and
     * the shutdown hook kill it, paused or not).
     */
    public void pause() {
        requireRunning("pause");
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} broker JVM run again (SIGCONT); it answers what it was sent meanwhile. */
    public void resume() {
        requireRunning("resume");
        signal("CONT");
    }

    /** Sends a signal Java cannot send ({@code STOP}, {@code CONT}) with kill(1). */
    private void signal(String name) {
        ChildJvm.signal(process.pid(), name);
    }

    /** Kills the broker JVM with SIGKILL and waits until it is gone. */
    public void kill() {
        requireRunning("kill");
        destroyProcess();
    }

    /**
     * Starts the broker again on the same ports with the same log directory (after
     * {@link #stop()} or {@link #kill()}); returns once it answers an admin request.
     */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("broker still runs: pid=" + process.pid() + ", broker=" + bootstrapServers());
        }
        launch();
    }

    /** Kills the broker if it runs and deletes its log directory (keeps {@code broker.out}). */
    @Override
    public void close() {
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // the JVM is shutting down, or the hook was never added
        }
        deleteTree(dataDir);
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapServers() + ", pid=" + (process == null ? "-" : process.pid())
                + ", dir=" + dir + "]";
    }

    private void configure() {
        try {
            Files.createDirectories(dataDir);
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("log.dirs", dataDir.toString());
            // One node: every internal topic has one replica, and one partition keeps start-up short.
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "1");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("transaction.state.log.num.partitions", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("min.insync.replicas", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            // After a SIGKILL the restarted controller refuses the new registration of broker 1 until the
            // old one's session expired (default 9 s of the restart's 15 s were that wait).
            p.setProperty("broker.heartbeat.interval.ms", "500");
            p.setProperty("broker.session.timeout.ms", "2000");
            p.setProperty("auto.create.topics.enable", "false");
            p.setProperty("num.partitions", "1");
            p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(8 << 20));
            try (var w = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
                p.store(w, "IpcArc LocalKafkaBroker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker configuration: dir=" + dir, e);
        }
    }

    private void format() {
        String clusterId = Uuid.randomUuid().toString();
        Process tool = startJvm(TOOL_JVM, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString());
        try {
            if (!tool.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly().waitFor();
                throw new IllegalStateException("StorageTool format did not finish within " + START_TIMEOUT.toSeconds()
                        + " s: output=" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.destroyForcibly();
            throw new IllegalStateException("interrupted formatting the broker's storage: dir=" + dataDir, e);
        }
        if (tool.exitValue() != 0) {
            throw new IllegalStateException("StorageTool format failed: exit=" + tool.exitValue() + ", dir=" + dataDir
                    + ", output=" + output + "\n" + tail());
        }
    }

    private void launch() {
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(profile.options);
        args.addAll(BROKER_LOG);
        process = startJvm(args, BrokerMain.class.getName(), String.valueOf(ProcessHandle.current().pid()),
                properties.toString());
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalArgumentException alreadyAdded) {
            // restarted: the hook from the first start stays
        }
        Map<String, Object> admin = adminConfig();
        try (Admin client = Admin.create(admin)) {
            Process started = process;
            await("broker " + bootstrapServers() + " answering describeCluster").atMost(START_TIMEOUT)
                    .pollDelay(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(100))
                    .failFast("broker exited during start-up: output=" + output, () -> !started.isAlive())
                    .until(() -> answers(client));
        } catch (RuntimeException e) {
            String exit = exitOf(process);
            destroyProcess();
            throw new IllegalStateException("broker did not start: broker=" + bootstrapServers() + ", exit=" + exit
                    + ", output=" + output + "\n" + tail(), e);
        }
        lastStartup = Duration.ofNanos(System.nanoTime() - t0);
    }

    private static String exitOf(Process p) {
        return p.isAlive() ? "running" : String.valueOf(p.exitValue());
    }

    private static boolean answers(Admin client) {
        try {
            return client.describeCluster().nodes().get(2, TimeUnit.SECONDS).size() == 1;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> c = clientConfig();
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        c.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
        c.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        return c;
    }

    private Process startJvm(List<String> jvmOptions, String mainClass, String... args) {
        // The broker does not use IpcArc: no library options.
        JavaCommand cmd = JavaCommand.current().withoutLibraryOptions().withOptions(jvmOptions).withClassPath(classPath)
                .main(mainClass, args);
        try {
            return cmd.processBuilder().directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass + ": dir=" + dir, e);
        }
    }

    private void destroyProcess() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireRunning(String what) {
        if (!isRunning()) {
            throw new IllegalStateException("broker is not running: action=" + what + ", broker=" + bootstrapServers());
        }
    }

    private String tail() {
        try {
            if (!Files.exists(output)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Binds {@code n} ephemeral loopback ports at once (so they differ) and releases them. */
    private static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free loopback ports", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // it was only bound
                }
            }
        }
    }

    /** The class path written by the build, plus this class's own location for {@link BrokerMain}. */
    private static String brokerClassPath() {
        String listed;
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("broker-classpath.txt")) {
            if (in == null) {
                throw new IllegalStateException("broker-classpath.txt not found beside " + LocalKafkaBroker.class.getName()
                        + ": build ipcarc-kafka-broker with Maven (it is written at generate-resources)");
            }
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read broker-classpath.txt", e);
        }
        List<String> entries = new ArrayList<>();
        for (String e : listed.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(e))) {
                throw new IllegalStateException("broker class path entry missing: path=" + e
                        + "; rebuild ipcarc-kafka-broker on this machine");
            }
            entries.add(e);
        }
        try {
            entries.add(Path.of(BrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + BrokerMain.class.getName(), e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker's log directory: dir=" + root, e);
        }
    }
}
