package io.ipcarc.testing;

import io.ipcarc.launcher.ChildJvm;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVMs of one test, running {@link Child}; closing kills those still alive, also
 * when the test failed.
 */
public final class Children implements AutoCloseable {
    private final List<ChildJvm> started = new ArrayList<>();

    /** Creates an empty set of children; {@link #close()} kills the ones still alive. */
    public Children() {
    }

    /**
     * Starts a child JVM running {@link Child} with the test class path.
     *
     * @param args the {@link Child} command and its arguments
     * @return the running child
     */
    public ChildJvm start(String... args) {
        return add(ChildJvm.start(Child.class, args));
    }

    /**
     * Starts a child JVM running {@link Child} with the test class path and extra JVM options.
     *
     * @param jvmOptions extra JVM options such as {@code -Dx=y}
     * @param args the {@link Child} command and its arguments
     * @return the running child
     */
    public ChildJvm start(List<String> jvmOptions, String... args) {
        return add(ChildJvm.start(jvmOptions, Child.class, args));
    }

    /**
     * Tracks a child started otherwise, so that it is killed with the others.
     *
     * @param child a child started otherwise, to be killed with the others
     * @return the same child
     */
    public synchronized ChildJvm add(ChildJvm child) {
        started.add(child);
        return child;
    }

    /** Kills every child still alive. */
    @Override
    public synchronized void close() {
        started.forEach(ChildJvm::close);
        started.clear();
    }
}
