package io.ipcarc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the capacity, in bytes of UTF-8, of a {@code String} component of a record stored in
 * shared memory (or of each element of a {@code @ShmArray String[]} component).
 *
 * <pre>{@code
 * record Quote(@ShmString(8) String symbol, long price) {}
 * }</pre>
 *
 * The string is stored in place like the C member {@code char symbol[8]}: its UTF-8 bytes, then
 * NUL bytes up to the capacity (none when it fills the capacity exactly); descriptor
 * {@code utf8[8]}. Writing a string whose UTF-8 form is longer than the capacity throws
 * {@link IllegalArgumentException} naming the component, the capacity and the length: nothing
 * is truncated. A {@code null} string is refused ({@link NullPointerException}); so is a string
 * containing U+0000 or a lone surrogate ({@link IllegalArgumentException}), which the layout
 * cannot hold. Reading allocates the {@code String} and nothing else
 * ({@link StringField} compares or copies the bytes without it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface ShmString {
    /**
     * The capacity.
     *
     * @return bytes of UTF-8, at least 1
     */
    int value();
}
