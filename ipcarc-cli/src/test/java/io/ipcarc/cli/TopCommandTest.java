package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.examples.Main;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.map.IpcMap;
import io.ipcarc.map.MapOptions;
import io.ipcarc.testing.JsonText;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipcarc top} as people and scripts use it, while the example ring writer and two reporters
 * run in other JVMs and one reporter is stopped with SIGSTOP: in a real 80x24 terminal (tmux) the
 * stopped reader's lag grows on screen, keys sort, and q or Ctrl-C give the terminal back as it
 * was; {@code --once} and {@code --json} print what a script parses; bad values are one line and
 * exit code 2.
 */
@Timeout(300)
class TopCommandTest {
    private static final Duration START = ShmSandbox.START;
    private static final String ESC = "\033";

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    /** The writer (lossy, 2000 entries a second, 1024 entries) and reporters 0 and 1 of a ring; returns reporter 1. */
    private ChildJvm ring(String name, Path csv) {
        ChildJvm writer = sandbox.add(ChildJvm.start(Main.class, "writer", "--name", name, "--rate", "2000", "--capacity", "1024",
                "--reader-slots", "2"));
        writer.awaitLine("writer: created", START);
        List<ChildJvm> reporters = new ArrayList<>();
        for (String id : List.of("0", "1")) {
            reporters.add(sandbox.add(ChildJvm.start(Main.class, "reporter", id, "--name", name, "--out", csv.toString(), "--from",
                    "latest")));
        }
        reporters.get(0).awaitLine("reporter 0: ring=", START);
        reporters.get(1).awaitLine("reporter 1: ring=", START);
        return reporters.get(1);
    }

    @Test
    void shouldShowAStoppedReadersLagGrowingInAn80x24TerminalSortByKeyAndGiveTheTerminalBackOnQAndCtrlC(@TempDir Path dir)
            throws IOException {
        String name = sandbox.name("top");
        ChildJvm slow = ring(name, dir);
        Path script = dir.resolve("run-top.sh");
        String top = javaCommand() + " io.ipcarc.cli.Main top --prefix " + name;
        // As an interactive shell does, this one survives a Ctrl-C meant for top (a trap runs instead);
        // then it records the terminal's settings and waits for Enter.
        Files.writeString(script, String.join("\n", "trap : INT",
                top, "echo \"top exited $?\"", "stty -a > " + dir.resolve("stty-after-q"), "read x",
                top, "echo \"top exited $?\"", "stty -a > " + dir.resolve("stty-after-ctrl-c"), "read x", ""));
        String before = stty(dir);
        try (TmuxPane pane = TmuxPane.start(80, 24, "sh " + script)) {
            List<String> screen = pane.await("both readers with a rate", s -> reader(s, 0).isPresent()
                    && reader(s, 1).filter(r -> !r[4].equals("-")).isPresent(), START);
            assertThat(screen).hasSizeLessThanOrEqualTo(24).allMatch(l -> l.length() <= 80);
            assertThat(screen.get(0)).startsWith("ipcarc top ").contains("sort name", "q quit");
            assertThat(screen).as("names are cut to fit").anyMatch(l -> l.startsWith(name.substring(0, 12)) && l.contains(" ring "));
            assertThat(screen).anyMatch(l -> l.startsWith("RING " + name + "  cap 1024"));

            slow.signal("STOP");
            List<String> stopped = pane.await("reader 1's lag past a ring", s -> reader(s, 1).map(r -> lag(r) > 2048).orElse(false),
                    START);
            long lag = lag(reader(stopped, 1).orElseThrow());
            List<String> later = pane.await("reader 1's lag growing from " + lag,
                    s -> reader(s, 1).map(r -> lag(r) > lag + 1000).orElse(false), START);
            assertThat(reader(later, 1).orElseThrow()[4]).as("the stopped reader's rate").isEqualTo("0");
            assertThat(lag(reader(later, 0).orElseThrow())).as("the running reader keeps up").isLessThan(1024);

            pane.send("l");
            List<String> byLag = pane.await("sort by lag", s -> s.get(0).contains("sort lag"), START);
            int header = indexOf(byLag, "  READER");
            assertThat(byLag.get(header + 1).trim()).as("the laggard first").startsWith("1 ");

            pane.send("q");
            List<String> after = pane.await("top's exit", s -> s.contains("top exited 0"), START);
            assertThat(String.join("\n", after)).as("the main screen is back, top's screen gone").doesNotContain("RING ");
            assertThat(Files.readString(dir.resolve("stty-after-q"))).as("line editing and echo are back")
                    .contains(" icanon ", " echo ").isEqualTo(before);

            pane.send("Enter"); // the second top
            pane.await("the second top", s -> s.get(0).startsWith("ipcarc top "), START);
            pane.send("C-c");
            pane.await("its exit by SIGINT", s -> s.contains("top exited 130"), START);
            assertThat(Files.readString(dir.resolve("stty-after-ctrl-c"))).isEqualTo(before);
            pane.send("Enter");
        } finally {
            slow.signal("CONT");
        }
    }

    @Test
    void shouldPrintOnceAsPlainTextAndJsonThatScriptsParseWithRatesHoldTimesAndAGrowingLag(@TempDir Path dir) {
        String name = sandbox.name("top-once");
        String counter = sandbox.name("top-lock");
        ChildJvm slow = ring(name, dir);
        ChildJvm creator = sandbox.start("create-wait", counter, "41");
        creator.awaitLine("CREATED", START);
        ChildJvm holder = sandbox.start("hold", counter, "2");
        holder.awaitLine("LOCKED", START);
        String prefix = sandbox.name("top").replaceAll("-[0-9]+-top$", "");

        Cli text = Cli.run("top", "--once", "--prefix", prefix);
        assertThat(text.code()).isZero();
        assertThat(text.out()).as("no escape codes outside a terminal").doesNotContain(ESC);
        assertThat(text.lines()).anyMatch(l -> l.startsWith("RING " + name + "  cap 1024"))
                .anyMatch(l -> l.startsWith(counter) && l.contains(" held " + holder.pid() + " 1s"));

        Map<?, ?> once = (Map<?, ?>) JsonText.parse(Cli.run("top", "--once", "--json", "--prefix", prefix).out());
        Map<?, ?> seg = find(once.get("segments"), "name", counter);
        assertThat(seg.get("type")).isEqualTo("i64");
        assertThat(seg.get("refCount")).isEqualTo(2L);
        Map<?, ?> lock = (Map<?, ?>) seg.get("lock");
        assertThat(lock.get("state")).isEqualTo("held");
        assertThat(lock.get("pid")).isEqualTo(holder.pid());
        assertThat((Double) lock.get("heldSeconds")).as("seen held across the interval").isGreaterThan(0.5);
        Map<?, ?> ring = find(once.get("rings"), "name", name);
        assertThat(ring.get("capacity")).isEqualTo(1024L);
        assertThat(ring.get("writerMode")).isEqualTo("lossy");
        assertThat((Double) ring.get("writeRate")).isBetween(500.0, 20_000.0);
        assertThat((List<?>) ring.get("readers")).hasSize(2);
        assertThat(find(ring.get("readers"), "id", 1L).get("rate")).isNotNull();
        assertThat(find(once.get("segments"), "name", name).get("refCount")).as("writer and reporters").isEqualTo(3L);

        slow.signal("STOP");
        try {
            Cli stream = Cli.run("top", "--json", "--count", "3", "--interval", "0.5", "--prefix", name);
            assertThat(stream.code()).isZero();
            assertThat(stream.lines()).as("one document per line").hasSize(3);
            List<Long> lags = new ArrayList<>();
            for (String line : stream.lines()) {
                Map<?, ?> doc = (Map<?, ?>) JsonText.parse(line);
                lags.add((Long) find(find(doc.get("rings"), "name", name).get("readers"), "id", 1L).get("lag"));
            }
            assertThat(lags).as("the stopped reader's lag, every half second").isSorted().doesNotHaveDuplicates();
        } finally {
            slow.signal("CONT");
        }
    }

    @Test
    void shouldShowAMapsKeysInUseAndItsCapacityAsItsType() {
        String name = sandbox.name("top-map");
        try (IpcMap<Long, Long> map = IpcMap.create(name, Long.class, Long.class, MapOptions.capacity(1000))) {
            for (long k = 0; k < 3; k++) {
                map.put(k, k * k);
            }
            Cli text = Cli.run("top", "--once", "--prefix", name);
            assertThat(text.code()).isZero();
            assertThat(text.lines()).as(text.out()).anyMatch(l -> l.startsWith(name) && l.contains("map 3/" + map.capacity()));
            map.remove(1L);
            Map<?, ?> json = (Map<?, ?>) JsonText.parse(Cli.run("top", "--once", "--json", "--prefix", name).out());
            assertThat(String.valueOf(json)).contains("map 2/" + map.capacity());
        }
    }

    @Test
    void shouldRefuseBadValuesWithExitCode2AndOneLineNamingTheOption() {
        String[][] bad = {{"--interval", "0"}, {"--interval", "-1"}, {"--interval", "3601"}, {"--interval", "soon"},
            {"--count", "0"}, {"--sort", "colour"}, {"--once", "--count", "3"}};
        String[] named = {"--interval", "--interval", "--interval", "--interval", "--count", "--sort", "--count"};
        for (int i = 0; i < bad.length; i++) {
            List<String> args = new ArrayList<>(List.of("top"));
            args.addAll(List.of(bad[i]));
            Cli c = Cli.run(args.toArray(String[]::new));
            assertThat(c.code()).as("exit code of %s", args).isEqualTo(ExitCodes.USAGE);
            assertThat(c.errLines()).as("stderr of %s", args).hasSize(1).first().asString().startsWith("ipcarc top: ")
                    .contains(named[i]);
            assertThat(c.out()).isEmpty();
        }
        assertThat(Cli.run("top", "--sort", "LAG", "--count", "1", "--interval", "0.1", "--prefix", "/nothing-here-").code())
                .as("sort keys in any case").isZero();
    }

    /** @return the reader's row cells (id, state, pid, position, rate, lag, lost) on the screen, if shown */
    private static Optional<String[]> reader(List<String> screen, int id) {
        return screen.stream().map(String::trim).filter(l -> l.matches(id + " +(active|detached) .*"))
                .map(l -> l.split(" +")).findFirst();
    }

    private static long lag(String[] row) {
        return Long.parseLong(row[5].replace("<=", ""));
    }

    private static int indexOf(List<String> screen, String start) {
        for (int i = 0; i < screen.size(); i++) {
            if (screen.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with " + start + " in:\n" + String.join("\n", screen));
    }

    private static Map<?, ?> find(Object list, String key, Object value) {
        return ((List<?>) list).stream().map(o -> (Map<?, ?>) o).filter(m -> value.equals(m.get(key))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + "=" + value + " in " + list));
    }

    /** The java command of a tool JVM: this JVM's java and class path, with native access on JDK 22+. */
    private static String javaCommand() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx96m"));
        cmd.addAll(io.ipcarc.launcher.JavaCommand.libraryOptions(Runtime.version().feature()));
        cmd.add("-cp");
        cmd.add("'" + System.getProperty("java.class.path") + "'");
        return String.join(" ", cmd);
    }

    /** @return {@code stty -a} of a terminal as the tests' tmux makes it, before top ran in it */
    private static String stty(Path dir) throws IOException {
        Path out = dir.resolve("stty-before");
        try (TmuxPane pane = TmuxPane.start(80, 24, "stty -a > " + out + "; read x")) {
            pane.await("stty's output", s -> Files.exists(out) && size(out) > 0, START);
            pane.send("Enter");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
