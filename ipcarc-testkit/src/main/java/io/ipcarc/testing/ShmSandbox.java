package io.ipcarc.testing;

import io.ipcarc.IpcArc;
import io.ipcarc.launcher.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The per-test fixture of the cross-process tests, registered with
 * {@code @RegisterExtension}: unique segment names and child JVMs, all of which are killed and
 * unlinked after each test, also when it fails.
 */
public final class ShmSandbox implements AfterEachCallback {
    /** How long a child JVM may take to start and report (the machine is shared and slow). */
    public static final Duration START = Duration.ofSeconds(60);

    private final ShmNames names = new ShmNames();
    private final Children children = new Children();

    /** Creates a sandbox; register it with {@code @RegisterExtension}. */
    public ShmSandbox() {
    }

    /**
     * Makes a segment name unique to this test JVM, unlinked after the test.
     *
     * @param what a short word for the test
     * @return a fresh segment name of this test JVM
     */
    public String name(String what) {
        return names.next(what);
    }

    /**
     * Makes a file that looks like a cut-short IpcArc segment: the first page of a real
     * segment (magic, header, holder table start) without the rest.
     *
     * @param what a short word for the test
     * @return its name
     * @throws IOException if the file cannot be written
     */
    public String truncatedSegment(String what) throws IOException {
        String name = name(what);
        IpcArc<Long> arc = IpcArc.create(name, 5L);
        byte[] firstPage = Arrays.copyOf(Files.readAllBytes(ShmNames.file(name)), 4096);
        arc.close(); // the last close unlinks the name
        Files.write(ShmNames.file(name), firstPage);
        return name;
    }

    /**
     * Starts a child JVM running {@link Child}, killed after the test.
     *
     * @param args the {@link Child} command and its arguments
     * @return the running child
     */
    public ChildJvm start(String... args) {
        return children.start(args);
    }

    /**
     * Starts a child JVM running {@link Child} with extra JVM options, killed after the test.
     *
     * @param jvmOptions extra JVM options
     * @param args the {@link Child} command and its arguments
     * @return the running child
     */
    public ChildJvm start(List<String> jvmOptions, String... args) {
        return children.start(jvmOptions, args);
    }

    /**
     * Tracks a child started otherwise, so that it is killed after the test.
     *
     * @param child a child started otherwise, killed after the test with the others
     * @return the same child
     */
    public ChildJvm add(ChildJvm child) {
        return children.add(child);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        children.close();
        names.close();
    }
}
