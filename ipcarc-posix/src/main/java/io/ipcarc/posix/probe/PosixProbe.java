package io.ipcarc.posix.probe;

import io.ipcarc.IpcArc;
import io.ipcarc.posix.segment.SegmentBacked;
import io.ipcarc.posix.segment.SegmentHandle;
import io.ipcarc.posix.sys.Binding;

/**
 * Entry point of the probe: what a benchmark or stress test may see of an arc of the POSIX
 * provider. See the package documentation for who may use it.
 */
public final class PosixProbe {
    private PosixProbe() {
    }

    /**
     * Returns the native binding this JVM's provider chose ({@code ipcarc.native} or the JDK's default).
     *
     * @return {@code jnr} or {@code ffm}
     */
    public static String bindingName() {
        return Binding.CURRENT.name();
    }

    /**
     * Returns the header words of {@code arc}, as the library reads and writes them.
     *
     * @param arc an open arc of this provider
     * @return its header words
     * @throws IllegalArgumentException if {@code arc} is not of this provider
     */
    public static HeaderWords headerWords(IpcArc<?> arc) {
        return new HeaderWords(handle(arc).words);
    }

    /**
     * Returns the change-wait steps of {@code arc}.
     *
     * @param arc an open arc of this provider
     * @return its change-wait steps
     * @throws IllegalArgumentException if {@code arc} is not of this provider
     */
    public static ChangeWaitSteps changeWaitSteps(IpcArc<?> arc) {
        return new ChangeWaitSteps(handle(arc));
    }

    private static SegmentHandle handle(IpcArc<?> arc) {
        if (arc instanceof SegmentBacked) {
            return ((SegmentBacked) arc).segmentHandle();
        }
        throw new IllegalArgumentException("not an arc of the POSIX provider: class=" + arc.getClass().getName());
    }
}
