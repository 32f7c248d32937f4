package io.ipcarc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a record or an enum has in descriptors, instead of its binary class name, so that two
 * programs that each declare the type (in their own packages, or in C) agree on it.
 *
 * <pre>{@code
 * @ShmName("Position")
 * record Position(long qty, double price) {}     // descriptor: Position{qty:i64,price:f64}
 * }</pre>
 *
 * The name is letters, digits, {@code _ . $}, and neither a scalar token ({@code i64}, ...) nor
 * {@code bytes} or {@code utf8}. Without it the descriptor uses the binary name
 * ({@code my.pkg.Outer$Position}). {@code IpcArc.load(name)} without a type finds a record or
 * enum by its binary name only: pass the type to load a renamed one (or decode it with
 * {@link ShmLayout}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ShmName {
    /**
     * The name.
     *
     * @return the type's name in descriptors
     */
    String value();
}
