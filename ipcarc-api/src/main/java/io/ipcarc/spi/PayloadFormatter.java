package io.ipcarc.spi;

import io.ipcarc.SharedView;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Turns a tagged raw payload ({@code bytes<tag>[n]}, see {@link io.ipcarc.ShmType#bytes(String, int)})
 * into one line of text for inspection tools, for structures that a module built on IpcArc keeps
 * in a payload (the ring of {@code ipcarc-ring}, for example). Implementations are found with
 * {@link ServiceLoader}, keyed by {@link #tag()}, so that the inspector needs no compile-time
 * knowledge of them.
 *
 * <pre>{@code
 * Optional<PayloadFormatter> formatter = PayloadFormatter.forTag("ipcarc.ring/3");
 * String text = formatter.map(f -> f.format(payload)).orElse("(no formatter for this tag)");
 * }</pre>
 */
public interface PayloadFormatter {

    /**
     * The tag of the payloads this formatter decodes.
     *
     * @return for example {@code ipcarc.ring/3}
     */
    String tag();

    /**
     * Describes a payload. The view may be a copy taken without the lock, so concurrently
     * written words may be torn, and it may hold only the payload's first bytes (inspectors copy
     * a bounded prefix): an implementation must describe what fits and never throw for a short
     * view.
     *
     * @param payload the payload's bytes, from offset 0 of the payload
     * @return one line of text
     */
    String format(SharedView payload);

    /**
     * Describes a payload as plain data for JSON output (maps with {@code String} keys, lists,
     * strings, numbers, booleans), under the same rules as {@link #format}. By default the
     * {@link #format} text.
     *
     * @param payload the payload's bytes, from offset 0 of the payload
     * @return the description
     */
    default Object toTree(SharedView payload) {
        return format(payload);
    }

    /**
     * The formatter for a tag among those on the class path of the thread's context class loader.
     *
     * @param tag a payload tag
     * @return the first formatter whose {@link #tag()} equals {@code tag}, or empty
     */
    static Optional<PayloadFormatter> forTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        for (PayloadFormatter f : ServiceLoader.load(PayloadFormatter.class)) {
            if (tag.equals(f.tag())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
