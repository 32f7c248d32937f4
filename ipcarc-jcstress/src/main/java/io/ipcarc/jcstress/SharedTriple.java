package io.ipcarc.jcstress;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The segments the read() stress tests share inside one test JVM: one {@code IpcArc<Triple>}
 * of each payload mode (crash-atomic: two copies and a commit word; raw: the seqlock), created
 * on first use. jcstress makes millions
 * of state objects; a segment each would exhaust file descriptors, so they share this one and
 * writers always store a fresh consistent value. Its name is unlinked as soon as it exists. Public, like its record, so that reads take
 * the generated decoder, the production fast path.
 */
public final class SharedTriple {
    /**
     * Three longs that writers keep consistent: {@code b == 2a}, {@code c == a + b}.
     *
     * @param a the first field
     * @param b twice the first
     * @param c the sum of the first two
     */
    public record Triple(long a, long b, long c) {
        /**
         * @param a the first field
         * @return the consistent triple of {@code a}
         */
        public static Triple of(long a) {
            return new Triple(a, 2 * a, 3 * a);
        }

        /** @return whether the invariant holds */
        public boolean consistent() {
            return b == 2 * a && c == a + b;
        }
    }

    private static final String NAME = "/ipcarc-jcstress-" + ProcessHandle.current().pid();
    /** Crash-atomic, the default for a record this small. */
    static final IpcArc<Triple> ARC = IpcArc.create(NAME, Triple.of(0));
    /** Raw: written in place under the seqlock. */
    static final IpcArc<Triple> RAW_ARC = IpcArc.create(NAME + "-raw", ShmType.of(Triple.class), Triple.of(0),
            ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW));
    private static final AtomicLong NEXT = new AtomicLong();

    static {
        // jcstress ends its test JVMs without running shutdown hooks, so a close() there would
        // never run: remove the name at once. The mapping stays valid (POSIX shm semantics),
        // and this JVM is the segment's only user.
        try {
            Files.deleteIfExists(Path.of("/dev/shm", NAME.substring(1)));
            Files.deleteIfExists(Path.of("/dev/shm", NAME.substring(1) + "-raw"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink the test segment: name=" + NAME, e);
        }
    }

    private SharedTriple() {
    }

    /** @return a value no writer stored before */
    static long nextValue() {
        return NEXT.incrementAndGet();
    }
}
