package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.IpcArcs;
import io.ipcarc.ShmName;
import io.ipcarc.ShmString;
import io.ipcarc.testing.Snippets;
import io.ipcarc.testing.ShmNames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's quick start with a string and an enum runs here as written. */
class QuickStartSnippetTest {
    private static final Path THIS = Path.of("src/test/java/io/ipcarc/posix/QuickStartSnippetTest.java");
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void theReadmesRecordWithAStringAndAnEnumRunsAsWritten() {
        String name = names.next("quote");
enum Side { BUY, SELL }
@ShmName("Quote") record Quote(@ShmString(8) String symbol, Side side, long price) {}
IpcArc<Quote> quote = IpcArc.create(name, new Quote("AAPL", Side.BUY, 1_901_500));
try (Guard<Quote> g = quote.acquire()) {
    g.set(new Quote("MSFT", Side.SELL, 4_120_000)); // "NVIDIA-ADR" (10 bytes): IllegalArgumentException
}
Quote q = quote.read();   // ipcarc inspect /quote: Quote{symbol="MSFT", side=SELL, price=4120000}
        assertThat(q).isEqualTo(new Quote("MSFT", Side.SELL, 4_120_000));
        assertThat(quote.type().descriptor()).startsWith("Quote{symbol:utf8[8],side:").endsWith("(BUY,SELL),price:i64}");
        assertThat(IpcArcs.inspect(name).payload()).isEqualTo("Quote{symbol=\"MSFT\", side=SELL, price=4120000}");
        try (Guard<Quote> g = quote.acquire()) {
            assertThatThrownBy(() -> g.set(new Quote("NVIDIA-ADR", Side.BUY, 1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("capacity=8").hasMessageContaining("length=10");
        }
quote.close();            // C: struct { char symbol[8]; uint8_t side; int64_t price; }
        List<List<String>> readme = Snippets.markdown(Path.of("../README.md"), "## Quick start");
        assertThat(readme).hasSize(3);
        assertThat(Snippets.appearsIn(readme.get(1), THIS)).as("README's second quick-start snippet runs here").isTrue();
    }
}
