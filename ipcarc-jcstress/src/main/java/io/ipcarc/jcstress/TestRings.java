package io.ipcarc.jcstress;

import io.ipcarc.ShmType;
import io.ipcarc.ring.EntryWriter;
import io.ipcarc.ring.Ring;
import io.ipcarc.ring.RingEntry;
import io.ipcarc.ring.RingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rings shared by all iterations of a ring stress test in one test JVM (the tests whose point is
 * a writer overwriting what a reader reads), and the entries they carry: six words that all
 * depend on the sequence, so a torn entry shows.
 */
final class TestRings {
    /** Writes the six words in the order most likely to tear. */
    static final EntryWriter SIX_WORDS = (e, seq) -> {
        for (int i = 5; i >= 0; i--) {
            e.putLong(8 * i, seq * 31 + i);
        }
    };

    private TestRings() {
    }

    /**
     * A ring of two 48-byte entries whose name is unlinked at once: jcstress ends its JVMs
     * without shutdown hooks; the mapping stays valid and this JVM is its only user.
     */
    static Ring<byte[]> unlinked(String what) {
        String name = "/ipcarc-jcstress-" + what + "-" + ProcessHandle.current().pid();
        Ring<byte[]> ring = Ring.create(name, ShmType.bytes(48), RingOptions.defaults().withCapacity(2));
        try {
            Files.deleteIfExists(Path.of("/dev/shm", name.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink the test ring: name=" + name, e);
        }
        return ring;
    }

    /**
     * Checks that an entry is not torn.
     *
     * @return whether the six words belong to the entry's sequence
     */
    static boolean consistent(RingEntry<byte[]> e) {
        boolean ok = true;
        for (int i = 0; i < 6; i++) {
            ok &= e.getLong(8 * i) == e.sequence() * 31 + i;
        }
        return ok;
    }
}
