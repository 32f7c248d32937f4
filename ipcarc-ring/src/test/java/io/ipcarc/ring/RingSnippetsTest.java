package io.ipcarc.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.IpcArcs;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInfo;
import io.ipcarc.SharedView;
import io.ipcarc.spi.PayloadFormatter;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.Snippets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The code snippets of the ring's javadoc, of the API types it adds or uses, and of the README's
 * ring section, run here on real rings: each test holds its snippet's lines, and
 * {@link #shouldHoldEverySnippetOfTheDocumentation()} checks that every snippet of those files is
 * one of them.
 */
class RingSnippetsTest {
    private static final Path THIS = Path.of("src/test/java/io/ipcarc/ring/RingSnippetsTest.java");
    private static final Duration LONG = Duration.ofSeconds(120);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldHoldEverySnippetOfTheDocumentation() {
        List<Path> sources = List.of(Path.of("src/main/java/io/ipcarc/ring/Ring.java"),
                Path.of("src/main/java/io/ipcarc/ring/RingWriter.java"), Path.of("src/main/java/io/ipcarc/ring/RingReader.java"),
                Path.of("src/main/java/io/ipcarc/ring/RingOptions.java"),
                Path.of("../ipcarc-api/src/main/java/io/ipcarc/spi/PayloadFormatter.java"),
                Path.of("../ipcarc-api/src/main/java/io/ipcarc/SharedView.java"));
        int count = 0;
        for (Path source : sources) {
            for (List<String> snippet : Snippets.javadoc(source)) {
                assertThat(Snippets.appearsIn(snippet, THIS)).as("snippet of %s runs in this test:%n%s", source,
                        String.join("\n", snippet)).isTrue();
                count++;
            }
        }
        List<List<String>> readme = Snippets.markdown(Path.of("../README.md"),
                "## The ring: one writer, crash-safe readers (module `ipcarc-ring`)");
        assertThat(readme).hasSize(1);
        assertThat(readme.get(0)).as("at most 15 lines").hasSizeLessThanOrEqualTo(15);
        assertThat(Snippets.appearsIn(readme.get(0), THIS)).as("README's ring snippet runs in this test").isTrue();
        List<List<String>> ringMd = Snippets.markdown(Path.of("../docs/ring.md"), "## The API in one page");
        assertThat(ringMd).hasSize(1);
        assertThat(Snippets.appearsIn(ringMd.get(0), THIS)).as("docs/ring.md's snippet runs in this test").isTrue();
        assertThat(count).isEqualTo(6);
    }

    record Tick(long seq, double price) {}

    /** The README's snippet saves lines with a loop and an if without braces; it runs here as written. */
    @Test
    @SuppressWarnings("checkstyle:NeedBraces")
    void shouldRunTheTypedProducerAndConsumerOfTheReadmeAndTheRingJavadoc() throws Exception {
        String name = names.next("ticks");
        CompletableFuture<Void> producer = async(() -> {
// producer: reader 0 is registered before the first entry, so it gets every tick
try (var ring = Ring.create(name, Tick.class, RingOptions.defaults().withReservedReaders(0));
     var writer = ring.claimWriter(WriterMode.LOSSLESS)) {
    for (long i = 0; i < 10_000; i++) writer.publish(new Tick(i, 100 + i * 0.01)); // waits for reader 0
}
        });
        String output = printed(() -> {
// consumer, in another process, started before or after the producer
try (var ring = Ring.open(name, Tick.class, Duration.ofMinutes(1));
     var reader = ring.claimReader(0)) {
    while (reader.position() < 10_000) {
        if (reader.poll(e -> System.out.println(e.decode()), 256) == 0) reader.idle(WaitStrategy.BLOCK, 100);
        reader.commit();                             // after the output is safe
    }
}
        });
        producer.get();
        List<String> lines = output.lines().toList();
        assertThat(lines).hasSize(10_000).startsWith("Tick[seq=0, price=100.0]");
        assertThat(lines.get(9_999)).startsWith("Tick[seq=9999, price=199.9");
    }

    private static CompletableFuture<Void> async(ThrowingRunnable body) {
        return CompletableFuture.runAsync(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs {@code body} with System.out captured (the snippets print). */
    private static String printed(ThrowingRunnable body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void shouldRunTheSnippetOfRingMd() throws InterruptedException {
        String name = names.next("ticks-md");
try (Ring<Tick> ring = Ring.create(name, Tick.class, RingOptions.defaults()
             .withCapacity(4096).withReaderSlots(16).withReservedReaders(0, 1));
     RingWriter<Tick> writer = ring.claimWriter(WriterMode.LOSSLESS)) {
    writer.publish(new Tick(1, 99.5));                       // a value
    writer.publish((entry, seq) -> entry.putLong(0, seq));   // or its bytes, in place
}
        SegmentInfo kept = IpcArcs.inspect(name);
        assertThat(kept.isRetained()).as("closed with 2 entries readers 0 and 1 have not read: kept for them").isTrue();
        assertThat(IpcArcs.remove(kept, false)).isEqualTo(Removal.REMOVED);
    }

    @Test
    void shouldRunTheWriterAndReaderSnippets() throws Exception {
        String name = names.next("numbers");
        try (Ring<Long> ring = Ring.create(name, Long.class, RingOptions.defaults());
             RingWriter<Long> writer = ring.claimWriter(WriterMode.LOSSY)) {
            writer.publish(42L);                                      // a value
            writer.publish((entry, seq) -> entry.putLong(0, seq));    // or its bytes, in place
        }
        try (Ring<Long> producer = Ring.create(name, Long.class, RingOptions.defaults().withCapacity(64).withReservedReaders(0))) {
            CompletableFuture<Void> published = async(() -> {
                try (RingWriter<Long> w = producer.claimWriter(WriterMode.LOSSLESS)) {
                    for (long i = 0; i < 1_000; i++) {
                        w.publish(i * 2);
                    }
                }
            });
            String out = printed(() -> {
try (Ring<Long> ring = Ring.open(name, Long.class);
     RingReader<Long> reader = ring.claimReader(0)) {
    int idle = 0;
    while (reader.position() < 1_000) {
        int n = reader.poll(e -> System.out.println(e.sequence() + ": " + e.getLong(0)), 256);
        reader.commit();                                 // after the output is safe
        idle = n > 0 ? 0 : idle + 1;
        reader.idle(WaitStrategy.BLOCK, idle);           // spins, yields, then sleeps until the writer publishes
    }
}
            });
            published.get();
            assertThat(out.lines().toList()).hasSize(1_000).contains("999: 1998");
        }
    }

    @Test
    void shouldRunTheOptionsFormatterAndViewSnippets() {
        RingOptions o = RingOptions.defaults().withCapacity(4096).withReservedReaders(0, 1);
        assertThat(o.reservedReaders()).containsExactly(0, 1);
        try (Ring<Long> ring = Ring.create(names.next("formatter"), Long.class, o)) {
            byte[] bytes = new byte[4096];
            ring.buffer().getBytes(0, bytes, 0, bytes.length);
            SharedView payload = SharedView.wrap(bytes);
            Optional<PayloadFormatter> formatter = PayloadFormatter.forTag("ipcarc.ring/3");
            String text = formatter.map(f -> f.format(payload)).orElse("(no formatter for this tag)");
            assertThat(text).startsWith("ring capacity=4096");
        }
        byte[] copy = new byte[16];
        copy[8] = 42;
        long second = SharedView.wrap(copy).getLong(8); // 42 on a little-endian host
        assertThat(second).isEqualTo(java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? 42 : 42L << 56);
    }
}
