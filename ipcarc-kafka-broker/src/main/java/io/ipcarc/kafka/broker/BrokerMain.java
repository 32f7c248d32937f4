package io.ipcarc.kafka.broker;

import java.util.Arrays;

/**
 * The main class of the broker JVM that {@link LocalKafkaBroker} starts: it runs
 * {@code kafka.Kafka} unchanged, and halts the broker when the JVM that started it is gone (a
 * test JVM killed with SIGKILL cannot stop its broker, so the broker watches it).
 *
 * <p>Usage: {@code BrokerMain PARENT_PID server.properties}.
 */
public final class BrokerMain {
    /** Exit status of a broker halted because the JVM that started it ended. */
    public static final int ORPHANED = 3;

    private BrokerMain() {
    }

    /**
     * Runs {@code kafka.Kafka} in this JVM and halts it when the JVM that started it is gone.
     *
     * @param args the pid of the starting JVM, then the arguments of {@code kafka.Kafka}
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: BrokerMain PARENT_PID server.properties");
            System.exit(2);
        }
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> halt(parent)),
                () -> halt(parent));
        kafka.Kafka.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void halt(long parent) {
        System.err.println("broker: the JVM that started it ended (pid=" + parent + "): halting");
        Runtime.getRuntime().halt(ORPHANED);
    }
}
