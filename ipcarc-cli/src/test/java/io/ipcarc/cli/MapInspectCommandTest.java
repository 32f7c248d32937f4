package io.ipcarc.cli;

import static io.ipcarc.testing.ShmSandbox.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.ShmString;
import io.ipcarc.map.IpcMap;
import io.ipcarc.map.MapOptions;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.ShmSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ipcarc inspect} and {@code ls} on a map: geometry, stripes and their holders, keys decoded, {@code --limit}, {@code --json}. */
class MapInspectCommandTest {
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    record Position(@ShmString(8) String account, long quantity) {
    }

    @Test
    void shouldShowAMapsStripesAndDecodedEntriesAsTextAndJsonAndMarkItInLs() {
        try (IpcMap<String, Position> m = IpcMap.create(sandbox.name("map"), String.class, Position.class,
                MapOptions.capacity(100).withKeyCapacity(8).withStripes(2))) {
            m.put("AAPL", new Position("ann", 100));
            m.put("MSFT", new Position("bob", -5));
            m.put("IBM", new Position("cy", 7));
            Cli text = Cli.run("inspect", m.name());
            assertThat(text.code()).isZero();
            assertThat(text.line("value")).contains("map capacity=100 stripes=2 entries=102").contains("size=3");
            assertThat(text.out()).contains("map capacity=100 size=3 stripes=2 entries=102")
                    .contains("key=utf8[8] value=" + Position.class.getName());
            assertThat(text.lines()).anyMatch(l -> l.matches("0\\s+\\d+\\s+free\\s+none\\s+0"));
            assertThat(text.out()).contains("\"AAPL\"").contains("{account=\"ann\", quantity=100}")
                    .contains("{account=\"bob\", quantity=-5}");
            Cli one = Cli.run("inspect", "--limit", "1", m.name());
            assertThat(one.out()).contains("(2 more keys; --limit N shows more)");
            Cli json = Cli.run("inspect", "--json", m.name());
            String j = json.out().replaceAll("\\s+", "");
            assertThat(j).contains("\"map\":{\"capacity\":100,\"size\":3").contains("\"keyType\":\"utf8[8]\"")
                    .contains("\"key\":\"\\\"IBM\\\"\"").contains("\"more\":0");
            assertThat(Cli.run("ls").line(m.name())).contains("map<utf8[8]," + Position.class.getName() + "{account:utf8[8],");
            assertThat(Cli.run("ls", "--json").out().replaceAll("\\s+", "")).contains("\"map\":{\"keyType\":\"utf8[8]\"");
            assertThat(Cli.run("inspect", "--limit", "-1", m.name()).code()).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void shouldShowTheHolderOfAStripeAndThatItDiedWhenItIsKilled() {
        try (IpcMap<Long, Long> m = IpcMap.create(sandbox.name("held"), Long.class, Long.class,
                MapOptions.capacity(10).withStripes(1))) {
            m.put(1L, 1L);
            ChildJvm holder = sandbox.add(ChildJvm.start(MapChild.class, "hold", m.name(), "1"));
            holder.awaitLine("HOLDING", START);
            assertThat(Cli.run("inspect", m.name()).lines())
                    .anyMatch(l -> l.matches("0\\s+1\\s+held pid=" + holder.pid() + "\\s+none\\s+0"));
            holder.kill();
            holder.awaitExit(START);
            assertThat(Cli.run("inspect", m.name()).lines())
                    .anyMatch(l -> l.matches("0\\s+1\\s+owner-died pid=" + holder.pid() + "\\s+none\\s+0"));
            m.put(1L, 2L); // repairs
            assertThat(Cli.run("inspect", m.name()).lines()).anyMatch(l -> l.matches("0\\s+1\\s+free\\s+none\\s+1"));
        }
    }
}
