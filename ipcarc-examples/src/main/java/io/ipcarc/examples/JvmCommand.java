package io.ipcarc.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the apps (and the benchmark harness) start another JVM that uses IpcArc: the running
 * {@code java}, plus the options that make the child use the library as this JVM does. A child
 * started with {@code -cp} does not see the {@code Enable-Native-Access} attribute of this jar's
 * manifest, so on JDK 22 and later it gets {@code --enable-native-access=ALL-UNNAMED} on the
 * command line; a {@code -Dipcarc.native=jnr|ffm} given to this JVM is passed on.
 */
public final class JvmCommand {
    private static final String BINDING_PROPERTY = "ipcarc.native";

    private JvmCommand() {
    }

    /**
     * Returns the {@code java} executable of this JVM, then {@link #libraryOptions()}.
     *
     * @return the {@code java} executable of this JVM, then {@link #libraryOptions()}
     */
    public static List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(libraryOptions());
        return cmd;
    }

    /**
     * Returns native access on JDK 22+, and this JVM's binding choice if it made one.
     *
     * @return native access on JDK 22+, and this JVM's binding choice if it made one
     */
    public static List<String> libraryOptions() {
        List<String> options = new ArrayList<>();
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        String binding = System.getProperty(BINDING_PROPERTY);
        if (binding != null) {
            options.add("-D" + BINDING_PROPERTY + "=" + binding);
        }
        return options;
    }
}
