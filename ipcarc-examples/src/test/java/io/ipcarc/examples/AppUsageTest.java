package io.ipcarc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command answers --help; bad usage is one line and exit 2, refused before anything is created. */
class AppUsageTest {
    private final ShmNames names = new ShmNames();

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        names.close();
    }

    private record Run(int code, String out, List<String> err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString().lines().toList());
    }

    @Test
    void shouldPrintHelpForEveryCommand() {
        for (String cmd : new String[] {"demo", "writer", "reporter", "verify", "counter"}) {
            Run r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: ipcarc-examples " + cmd).contains("--help").contains("Exit codes:");
            assertThat(r.err()).as(cmd).isEmpty();
        }
        assertThat(run("writer", "--help").out()).contains("--readers").contains("--lossless").contains("--capacity");
        assertThat(run("reporter", "--help").out()).contains("--kafka").contains("--topic").contains("--instance");
        Run top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("demo").contains("writer").contains("reporter").contains("verify");
    }

    @Test
    void shouldListTheExitCodesInOrderInEveryHelp() {
        for (String cmd : new String[] {"", "demo", "writer", "reporter", "verify", "counter"}) {
            String out = (cmd.isEmpty() ? run("--help") : run(cmd, "--help")).out();
            List<String> codes = out.substring(out.indexOf("Exit codes:")).lines().skip(1)
                    .filter(l -> l.matches("  \\d+ .*")).map(l -> l.trim().split(" ")[0]).toList();
            assertThat(codes).as("exit codes of %s --help", cmd).containsExactly("0", "1", "2");
        }
    }

    @Test
    void shouldSummariseEveryCommandInWholeSentences() {
        Run help = run("help");
        assertThat(help.code()).isZero();
        String out = help.out();
        List<String> commands = out.substring(out.indexOf("Commands:") + "Commands:".length(), out.indexOf("Exit codes:"))
                .strip().lines().toList();
        // A command's summary starts on its own line ("  name  text") and continues on deeper-indented ones.
        Map<String, String> summaries = new LinkedHashMap<>();
        String current = null;
        for (String line : commands) {
            if (line.isBlank()) {
                continue;
            }
            String[] start = line.strip().split("\\s+", 2);
            if (!line.startsWith("    ") && start.length == 2) {
                current = start[0];
                summaries.put(current, start[1]);
            } else if (current != null) {
                summaries.merge(current, line.strip(), (a, b) -> a + " " + b);
            }
        }
        assertThat(summaries).containsKeys("demo", "writer", "reporter", "verify", "counter", "help");
        summaries.forEach((cmd, text) -> assertThat(text).as("summary of %s in `help`", cmd).endsWith("."));
    }

    @Test
    void shouldRefuseNonsenseWithOneLineAndExitTwoBeforeCreatingAnything() throws Exception {
        String name = names.next("usage");
        String[][] bad = {
            {"writer", "--name", name, "--capacity", "3"},
            {"writer", "--name", name, "--capacity", "0"},
            {"writer", "--name", name, "--count", "-1"},
            {"writer", "--name", name, "--rate", "-5"},
            {"writer", "--name", name, "--readers", "0,8"},
            {"writer", "--name", name, "--reader-slots", "65"},
            {"writer", "--name", name, "--wait", "nap"},
            {"writer", "--name", "a/b"},
            {"writer", "--name", name, "--bogus"},
            {"reporter", "x", "--name", name},
            {"reporter", "64", "--name", name},
            {"reporter", "-1", "--name", name},
            {"reporter", "0", "--name", name, "--from", "middle"},
            {"reporter", "0", "--name", name, "--kafka", "127.0.0.1:9092"},
            {"reporter", "0", "--name", name, "--topic", "ticks"},
            {"demo", "--count", "-1"},
            {"demo", "--count", "10", "--capacity", "1000"},
            {"verify"},
            {"verify", "--complete", "-2", "f.csv"},
            {"counter", "--workers", "0"},
            {"nonsense"},
        };
        try (var before = Files.list(Path.of("/dev/shm"))) {
            List<Path> existing = before.toList();
            for (String[] args : bad) {
                Run r = run(args);
                String what = String.join(" ", args);
                assertThat(r.code()).as(what).isEqualTo(2);
                assertThat(r.err()).as(what).singleElement().asString().startsWith("usage error: ").contains("--help");
                assertThat(r.out()).as(what).isEmpty();
            }
            try (var after = Files.list(Path.of("/dev/shm"))) {
                assertThat(after.filter(p -> !existing.contains(p)).filter(p -> p.getFileName().toString().contains(
                        "-" + ProcessHandle.current().pid() + "-") || p.getFileName().toString().startsWith("ipcarc-demo-ring-"
                        + ProcessHandle.current().pid()))).as("nothing created").isEmpty();
            }
        }
        assertThat(ShmNames.exists(name)).isFalse();
    }

    @Test
    void shouldShowTheOffendingValueInTheUsageError() {
        assertThat(run("writer", "--name", names.next("cap"), "--capacity", "3").err().get(0))
                .contains("ring capacity must be a power of two").contains("capacity=3");
        assertThat(run("demo", "--count", "-1").err().get(0)).contains("count=-1");
    }
}
