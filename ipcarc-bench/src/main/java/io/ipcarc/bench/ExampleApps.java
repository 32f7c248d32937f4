package io.ipcarc.bench;

import io.ipcarc.ShmName;
import io.ipcarc.ShmString;
import io.ipcarc.ShmType;
import io.ipcarc.launcher.JavaCommand;

/**
 * The example apps ({@code writer}, {@code reporter}, {@code verify}) as the benchmarks measure
 * them: each in its own JVM, from the bench's run-time class path. The examples module is a
 * run-time dependency of the bench only: the bench runs the apps, it does not compile against them.
 */
public final class ExampleApps {
    /** The apps' main class, by its binary name. */
    public static final String MAIN = "io.ipcarc.examples.Main";

    private ExampleApps() {
    }

    /**
     * The apps' command line in a {@link BenchJvm#COMMAND bench JVM}.
     *
     * @param args the app and its arguments, for example {@code writer --rate 0}
     * @return the command
     */
    public static JavaCommand command(String... args) {
        return BenchJvm.COMMAND.main(MAIN, args);
    }

    /**
     * The apps' ring entry (docs/ring.md, "The apps' entry"), declared here under the apps' name
     * in descriptors, as a peer in another language declares it, so that a ring the bench creates
     * is one the apps open: its descriptor equals that of {@code io.ipcarc.examples.Tick}
     * ({@code ExampleAppsTest} checks it; the apps refuse a ring of another type at once).
     *
     * @param seq the entry's sequence
     * @param timestampNs writer's clock
     * @param symbol the symbol, up to 8 bytes
     * @param price price in units of 1e-4
     * @param quantity quantity
     * @param checksum the checksum of the other fields
     * @param reserved 0
     */
    @ShmName("io.ipcarc.examples.Tick")
    public record Tick(long seq, long timestampNs, @ShmString(8) String symbol, long price, long quantity, long checksum,
                       long reserved) {
        /** The entry type of the apps' ring. */
        public static final ShmType<Tick> TYPE = ShmType.of(Tick.class);
    }
}
