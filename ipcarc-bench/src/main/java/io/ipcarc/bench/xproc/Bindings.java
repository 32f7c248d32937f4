package io.ipcarc.bench.xproc;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Which native binding of ipcarc-posix this JVM (and so each child of the harness) uses. */
final class Bindings {
    private Bindings() {
    }

    /**
     * Returns {@code jnr} or {@code ffm}, as ipcarc-posix chose it, or {@code unknown}.
     *
     * @return {@code jnr} or {@code ffm}, as ipcarc-posix chose it, or {@code unknown}
     */
    static String current() {
        try {
            Class<?> binding = Class.forName("io.ipcarc.posix.Binding");
            Field f = binding.getDeclaredField("CURRENT");
            f.setAccessible(true);
            Method name = binding.getDeclaredMethod("name");
            name.setAccessible(true);
            String n = (String) name.invoke(f.get(null));
            return n.equals("jnr") ? "jnr-ffi" : n.equals("ffm") ? "java.lang.foreign (FFM)" : n;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }
}
