package io.ipcarc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the fixed length of a primitive-array component of a record stored in shared memory.
 *
 * <pre>{@code
 * record Samples(long count, @ShmArray(8) double[] values) {}
 * }</pre>
 *
 * The array is laid out inline, like {@code double values[8]} in a C struct. Writing a record
 * whose array has another length throws {@link IllegalArgumentException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface ShmArray {
    /**
     * The number of elements.
     *
     * @return a length of at least 1
     */
    int value();
}
