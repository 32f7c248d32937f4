package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmSandbox;
import io.ipcarc.testing.Snippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's map snippet (the quick start's third) runs here as written, watched by a second handle. */
class MapQuickStartSnippetTest {
    private static final Path THIS = Path.of("src/test/java/io/ipcarc/map/MapQuickStartSnippetTest.java");

    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    @Test
    void theReadmesMapSnippetRunsAsWritten() {
        String name = sandbox.name("positions");
record Position(long quantity, double price) {}

        try (IpcMap<String, Position> observer = IpcMap.openOrCreate(name, String.class, Position.class,
                MapOptions.capacity(100_000).withKeyCapacity(16))) {
            observer.put("MSFT", new Position(5, 410.0));
try (IpcMap<String, Position> positions = IpcMap.openOrCreate(name, String.class, Position.class,
        MapOptions.capacity(100_000).withKeyCapacity(16))) {      // capacity fixed at creation
    positions.put("AAPL", new Position(100, 187.5));
    Position p = positions.get("AAPL");                          // lock-free, never torn, never waits
    positions.compute("AAPL", (k, v) -> new Position(v.quantity() + 10, v.price())); // under the stripe's lock
    positions.remove("MSFT");                                    // absent: returns null
}
            assertThat(observer.get("AAPL")).isEqualTo(new Position(110, 187.5));
            assertThat(observer.get("MSFT")).isNull();
            assertThat(observer.size()).isEqualTo(1);
            assertThat(observer.capacity()).isGreaterThanOrEqualTo(100_000);
        }

        List<List<String>> readme = Snippets.markdown(Path.of("../README.md"), "## Quick start");
        assertThat(readme).hasSize(3);
        assertThat(Snippets.appearsIn(readme.get(2), THIS)).as("README's map snippet runs here").isTrue();
    }
}
