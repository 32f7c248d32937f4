package io.ipcarc.bench;

import java.util.Map;

/**
 * The core figures of one JDK: its JMH benchmarks and the C baseline measured right after them,
 * so that every ratio is taken within the same run.
 *
 * @param jdk the JDK and binding
 * @param micro the figures by key ({@code Class.method}, or {@link NativeMutexBaseline#KEY})
 */
public record CoreRun(JdkTarget jdk, Map<String, Figure> micro) {

    /**
     * Returns the figure, or a missing one.
     *
     * @param key a figure's key
     * @return the figure, or a missing one
     */
    public Figure get(String key) {
        Figure f = micro.get(key);
        return f != null ? f : Figure.missing(key, key, "ns/op", "not run on " + jdk.label());
    }
}
