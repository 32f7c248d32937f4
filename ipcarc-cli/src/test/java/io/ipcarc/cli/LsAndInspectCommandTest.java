package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ls} and {@code inspect} against segments that other JVMs created, hold, lock and die with. */
@Timeout(180)
class LsAndInspectCommandTest {
    private static final Duration START = ShmSandbox.START;
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void shouldListLongAndRecordCreatedByOtherJvmsWithHoldersAndValues() {
        String counter = sandbox.name("long");
        String point = sandbox.name("point");
        ChildJvm longCreator = sandbox.start("create-wait", counter, "41");
        ChildJvm pointCreator = sandbox.start("create-wait", point, "point");
        longCreator.awaitLine("CREATED", START);
        pointCreator.awaitLine("CREATED", START);
        ChildJvm loader = sandbox.start("load-wait", counter);
        loader.awaitLine("LOADED", START);

        Cli ls = Cli.run("ls");

        assertThat(ls.code()).isZero();
        assertThat(ls.lines().get(0)).startsWith("NAME").contains("TYPE", "SIZE", "STATE", "CREATOR", "CREATED", "REFS",
                "HOLDERS", "DEAD", "LOCK");
        assertThat(ls.line(counter)).contains(" i64 ", " 8 ", " ready ", " " + longCreator.pid() + " ", " 2 ",
                longCreator.pid() + "[1]@", loader.pid() + "[1]@", " free");
        assertThat(ls.line(point)).contains("io.ipcarc.testing.Records$Point{x:i32,y:f64}", " 16 ",
                pointCreator.pid() + "[1]@");

        Cli inspect = Cli.run("inspect", point);
        assertThat(inspect.code()).isZero();
        assertThat(inspect.line("value")).endsWith("Point{x=1, y=2.5}");
        assertThat(inspect.line("creator")).contains("pid=" + pointCreator.pid() + " (alive)");
        assertThat(inspect.line("lock")).endsWith("free");
        assertThat(inspect.line(String.valueOf(pointCreator.pid()))).endsWith("alive");

        Cli json = Cli.run("inspect", counter, "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"name\": \"" + counter + "\"", "\"type\": \"i64\"", "\"value\": \"41\"", "\"data\": 41",
                "\"refCount\": 2", "\"pid\": " + loader.pid(), "\"deadHolders\": []", "\"state\": \"free\"");
        assertThat(Cli.run("ls", "--json").out()).startsWith("[").contains("\"name\": \"" + point + "\"");
        assertThat(Cli.run("ls", "--prefix", point).lines()).hasSize(2).last().asString().startsWith(point + " ");
    }

    @Test
    void shouldInspectRingWritePointerAndEachReadersPositionAndLag() {
        String name = sandbox.name("ring");
        ChildJvm ring = sandbox.add(ChildJvm.start(RingChild.class, name));
        assertThat(ring.awaitLine("RING", START)).isEqualTo("RING write=10");

        // 256 bytes of header, 8 reader slots of 64 bytes, 16 slots of 16 bytes (stamp and a long), "i64" padded to 8
        assertThat(Cli.run("ls").line(name)).contains("bytes<ipcarc.ring/3>[1032]");
        Cli inspect = Cli.run("inspect", name);

        assertThat(inspect.code()).isZero();
        String p = "pid " + ring.pid();
        assertThat(inspect.line("value")).endsWith("ring capacity=16 entry=8B readers=8 write=10 writer=" + p + " lossy"
                + " registered=[0: active " + p + " position=4 lag=6 lost=0, 1: active " + p + " position=0 lag=10 lost=0,"
                + " 5: detached position=0 lag=10 lost=0]");
    }

    @Test
    void shouldDecodeStringsAndEnumsAsTextAndJson() {
        String name = sandbox.name("quote");
        ChildJvm creator = sandbox.start("create-wait", name, "quote");
        creator.awaitLine("CREATED", START);
        Cli inspect = Cli.run("inspect", name);
        assertThat(inspect.code()).isZero();
        assertThat(inspect.line("value")).endsWith("Quote{symbol=\"Ünïcødé€\", side=BUY, price=3, qty=21}");
        Cli json = Cli.run("inspect", name, "--json");
        assertThat(json.out()).as("the value as text, and as JSON data")
                .contains("\"data\": {\n    \"symbol\": \"Ünïcødé€\",\n    \"side\": \"BUY\",\n    \"price\": 3,\n    \"qty\": 21\n  }");
        assertThat(json.out()).contains("\"value\": \"Quote{symbol=\\\"Ünïcødé€\\\", side=BUY, price=3, qty=21}\"",
                "\"type\": \"io.ipcarc.testing.Records$Quote{symbol:utf8[16],side:Side(BUY,SELL,HOLD),price:i64,qty:i32}\"");
    }

    @Test
    void shouldShowLockHeldByAnotherJvmAndOwnerDiedAfterItIsKilled() {
        String name = sandbox.name("locked");
        ChildJvm creator = sandbox.start("create-wait", name, "5");
        creator.awaitLine("CREATED", START);
        ChildJvm holder = sandbox.start("hold", name, "42");
        holder.awaitLine("LOCKED", START);

        assertThat(Cli.run("ls").line(name)).contains("held pid=" + holder.pid() + " tid=");
        Cli held = Cli.run("inspect", name);
        assertThat(held.line("lock")).contains("held pid=" + holder.pid() + " tid=");
        assertThat(held.line("value")).as("the committed value; the holder's 42 is in its shadow copy")
                .endsWith("5");
        assertThat(held.line("payload mode")).endsWith("crash-atomic");

        holder.kill();

        Cli died = Cli.run("inspect", name);
        assertThat(died.line("lock")).contains("owner-died pid=" + holder.pid() + " tid=");
        assertThat(died.line("value")).endsWith("5");
        assertThat(died.line(String.valueOf(holder.pid()))).endsWith("dead");
        assertThat(died.line(String.valueOf(creator.pid()))).endsWith("alive");
        assertThat(died.line("orphan")).endsWith("no");
    }

    @Test
    void shouldListDeadHolderAfterSigkill() {
        String name = sandbox.name("dead");
        ChildJvm creator = sandbox.start("create-wait", name, "1");
        creator.awaitLine("CREATED", START);
        ChildJvm victim = sandbox.start("load-wait", name);
        victim.awaitLine("LOADED", START);

        victim.kill();

        String line = Cli.run("ls").line(name);
        String[] cells = line.split("\\s+");
        assertThat(cells[7]).as("HOLDERS").startsWith(creator.pid() + "[1]@").doesNotContain(String.valueOf(victim.pid()));
        assertThat(cells[8]).as("DEAD").startsWith(victim.pid() + "[1]@");
        assertThat(cells[6]).as("REFS still counts the dead holder until someone reaps it").isEqualTo("2");
    }
}
