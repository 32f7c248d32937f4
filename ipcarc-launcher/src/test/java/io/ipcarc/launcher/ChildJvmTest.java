package io.ipcarc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real child JVMs: their output lines, their input, their exit, signals. */
@Timeout(300)
class ChildJvmTest {
    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void shouldCollectLinesAndAnswerInputAndReportTheExitCode() {
        try (ChildJvm child = ChildJvm.start(EchoChild.class, "a", "b")) {
            assertThat(child.awaitLine("READY", START)).isEqualTo("READY a b");
            child.send("echo HELLO");
            assertThat(child.awaitLine("HELLO", START)).isEqualTo("HELLO");
            child.send("echo HELLO");
            child.send("exit 3");

            assertThat(child.awaitExit(START)).isEqualTo(3);
            assertThat(child.count("HELLO")).isEqualTo(2);
            assertThat(child.lines()).containsExactly("READY a b", "HELLO", "HELLO");
            assertThat(child.isAlive()).isFalse();
        }
    }

    /** The child of JavaCommand's javadoc snippet. */
    public static final class Worker {
        private Worker() {
        }

        /**
         * Prints DONE and its arguments.
         *
         * @param args printed after DONE
         */
        public static void main(String[] args) {
            System.out.println("DONE " + String.join(" ", args) + " " + Runtime.getRuntime().maxMemory() / (1 << 20));
        }
    }

    @Test
    void shouldRunTheSnippetOfJavaCommand() {
        try (ChildJvm worker = JavaCommand.current().withOptions("-Xmx64m").main(Worker.class, "go").start()) {
            worker.awaitLine("DONE", Duration.ofMinutes(1));
            assertThat(worker.awaitLine("DONE", START)).as("its argument and heap of at most 64 MiB").matches("DONE go [1-6]?[0-9]");
            assertThat(worker.awaitExit(START)).isZero();
        }
    }

    @Test
    void shouldPassJvmOptionsAfterTheLibraryOptions() {
        try (ChildJvm child = ChildJvm.start(List.of("-D" + JavaCommand.BINDING_PROPERTY + "=mine"), EchoChild.class)) {
            child.awaitLine("READY", START);
            child.send("property " + JavaCommand.BINDING_PROPERTY);
            assertThat(child.awaitLine("PROPERTY", START)).isEqualTo("PROPERTY mine");
        }
    }

    @Test
    void shouldFailAWaitForALineTheChildNeverPrintsWithItsExitAndOutput() {
        try (ChildJvm child = ChildJvm.start(EchoChild.class)) {
            child.awaitLine("READY", START);
            child.send("echo LAST");
            child.send("exit 7");

            assertThatThrownBy(() -> child.awaitLine("NEVER", START)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("child exited before printing the line").hasMessageContaining("prefix=NEVER")
                    .hasMessageContaining("exit=7").hasMessageContaining("LAST");
        }
    }

    @Test
    void shouldFailAWaitThatRunsOutOfTime() {
        try (ChildJvm child = ChildJvm.start(EchoChild.class)) {
            child.awaitLine("READY", START);

            assertThatThrownBy(() -> child.awaitLine("NEVER", Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not print the line in time").hasMessageContaining("alive=true");
            assertThatThrownBy(() -> child.awaitExit(Duration.ofMillis(200))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not exit in time");
        }
    }

    @Test
    void shouldKillWithSigkillAndStopAndContinueWithKill1() {
        ChildJvm child = ChildJvm.start(EchoChild.class);
        try {
            child.awaitLine("READY", START);
            child.signal("STOP");
            child.send("echo AFTER_CONT");
            child.signal("CONT");
            child.awaitLine("AFTER_CONT", START);
            child.kill();

            assertThat(child.isAlive()).isFalse();
            assertThat(child.awaitExit(START)).isEqualTo(128 + 9);
        } finally {
            child.close();
        }
        assertThatThrownBy(() -> ChildJvm.signal(child.pid(), "NOSUCHSIGNAL")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signal=NOSUCHSIGNAL");
    }

    @Test
    void shouldLetAChildEndByItselfWithinTheCloseGraceAndKillItWithout() {
        ChildJvm graceful = JavaCommand.current().withCloseGrace(Duration.ofSeconds(60)).main(EchoChild.class).start();
        graceful.awaitLine("READY", START);
        graceful.send("exit-after 300 5");
        graceful.close();
        assertThat(graceful.awaitExit(START)).as("ended by itself").isEqualTo(5);

        ChildJvm killed = JavaCommand.current().main(EchoChild.class).start();
        killed.awaitLine("READY", START);
        killed.send("exit-after 60000 5");
        killed.close();
        assertThat(killed.awaitExit(START)).as("killed").isEqualTo(128 + 9);
    }

    @Test
    void shouldRunOtherProgramsAndRefuseOnesThatDoNotExist() {
        try (ChildJvm sh = ChildJvm.command(List.of("sh", "-c", "echo out; echo err >&2; exit 4"))) {
            assertThat(sh.awaitExit(START)).isEqualTo(4);
            assertThat(sh.lines()).containsExactlyInAnyOrder("out", "err");
        }
        assertThatThrownBy(() -> ChildJvm.command(List.of("/nonexistent/program"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start");
    }
}
