package io.ipcarc.bench;

import io.ipcarc.launcher.JavaCommand;
import java.time.Duration;

/** How the cross-process rows start their child JVMs. */
public final class BenchJvm {
    /**
     * This {@code java} and class path with the library options, a fixed 256 MiB heap and the
     * parallel GC; a child that has printed its result gets 5 s to close its segments before
     * {@code close()} kills it, so that no killed holder keeps a segment of the run.
     */
    public static final JavaCommand COMMAND = JavaCommand.current().withOptions("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC")
            .withCloseGrace(Duration.ofSeconds(5));

    private BenchJvm() {
    }
}
