package io.ipcarc.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The child JVMs of one test, running {@link Child}; closing kills those still alive, also
 * when the test failed.
 */
public final class Children implements AutoCloseable {
    private final List<ChildJvm> started = new ArrayList<>();

    /**
     * @param args the {@link Child} command and its arguments
     * @return the running child
     */
    public ChildJvm start(String... args) {
        return add(ChildJvm.start(Child.class, args));
    }

    /**
     * @param jvmOptions extra JVM options such as {@code -Dx=y}
     * @param args the {@link Child} command and its arguments
     * @return the running child
     */
    public ChildJvm start(List<String> jvmOptions, String... args) {
        return add(ChildJvm.start(jvmOptions, Child.class, args));
    }

    /**
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
