package io.ipcarc;

import java.time.Duration;
import java.util.Objects;

/**
 * Options for creating and loading segments. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * ArcOptions shared = ArcOptions.defaults().withMode(0660);
 * IpcArc<Long> a = IpcArc.create("/counter", ShmType.of(Long.class), 0L, shared);
 * }</pre>
 *
 * @param mode the file mode of a new segment, such as {@code 0600} (the default) or
 *     {@code 0660} for a group of cooperating users; applied exactly, whatever the umask
 * @param readyTimeout how long a load waits for a segment that is still being created
 */
public record ArcOptions(int mode, Duration readyTimeout) {

    private static final ArcOptions DEFAULTS = new ArcOptions(0600, Duration.ofSeconds(5));

    /**
     * Validates the options.
     *
     * @param mode permission bits, 0 to 0777
     * @param readyTimeout non-negative wait
     */
    public ArcOptions {
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode must be permission bits only: mode=0" + Integer.toOctalString(mode));
        }
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative()) {
            throw new IllegalArgumentException("readyTimeout must not be negative: readyTimeout=" + readyTimeout);
        }
    }

    /** @return mode 0600 and a 5 second ready timeout */
    public static ArcOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param newMode permission bits for new segments, for example {@code 0660}
     * @return a copy with that mode
     */
    public ArcOptions withMode(int newMode) {
        return new ArcOptions(newMode, readyTimeout);
    }

    /**
     * @param timeout how long a load waits for a segment being created
     * @return a copy with that timeout
     */
    public ArcOptions withReadyTimeout(Duration timeout) {
        return new ArcOptions(mode, timeout);
    }
}
