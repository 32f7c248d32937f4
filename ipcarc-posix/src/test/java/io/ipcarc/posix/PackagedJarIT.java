package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.launcher.JavaCommand;
import io.ipcarc.testing.ShmNames;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jar this build packaged, which is what {@code mvn install} puts in a user's repository,
 * whichever JDK ran the build: it holds both bindings, a JDK 22+ picks the java.lang.foreign one
 * with no warning, and a JDK older than 22 picks jnr-ffi. Run by failsafe after {@code package},
 * with the jar in place of {@code target/classes} on the class path; the child JVMs get the same
 * class path ({@link BindingChild} and the library's dependencies).
 */
class PackagedJarIT {
    private static final Duration RUN = Duration.ofSeconds(60);
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldHoldTheFfmBindingCompiledForJdk22() throws IOException {
        try (JarFile jar = new JarFile(packagedJar().toFile())) {
            for (String binding : List.of("FfmBinding", "FfmFunctions", "FfmMemory")) {
                ZipEntry entry = jar.getEntry("io/ipcarc/posix/sys/" + binding + ".class");
                assertThat(entry).as("%s in %s", binding, jar.getName()).isNotNull();
                try (InputStream in = jar.getInputStream(entry)) {
                    assertThat(classFileMajor(in)).as("class file version of %s (66 = Java 22)", binding).isEqualTo(66);
                }
            }
            ZipEntry jnr = jar.getEntry("io/ipcarc/posix/sys/JnrBinding.class");
            try (InputStream in = jar.getInputStream(jnr)) {
                assertThat(classFileMajor(in)).as("class file version of JnrBinding (61 = Java 17)").isEqualTo(61);
            }
        }
    }

    @Test
    void shouldPickFfmOnJdk22AndLaterWithNoWarning() {
        Path java = ffmJava();
        assertThat(JavaCommand.javaFeature(java)).as("the JDK of %s", java).isGreaterThanOrEqualTo(22);
        assertThat(run(java, "--enable-native-access=ALL-UNNAMED")).contains("binding=ffm", "DONE")
                .noneMatch(l -> l.startsWith("WARNING"));
    }

    @Test
    void shouldPickJnrOnAJdkOlderThan22() {
        Path java = BindingSelectionTest.olderJava().orElseGet(() -> fail("this test needs a JDK older than 22: run the build"
                + " on one, or install one under /usr/lib/jvm, or name its java with -Dipcarc.test.oldJava="));
        assertThat(run(java)).contains("binding=jnr", "DONE");
    }

    /** Runs {@link BindingChild} on {@code java}, choosing its binding by itself, and returns what it printed. */
    private List<String> run(Path java, String... options) {
        String name = names.next("jar");
        // No library options: the child chooses its binding by itself, with only the options given.
        JavaCommand cmd = JavaCommand.of(java).withoutLibraryOptions().withOptions(JavaCommand.SMALL_JVM).withOptions(options)
                .withClassPath(classPathWithJar()).main(BindingChild.class, name);
        try (ChildJvm child = cmd.start()) {
            assertThat(child.awaitExit(RUN)).as("%s", child).isZero();
            assertThat(ShmNames.exists(name)).isFalse();
            return child.lines();
        }
    }

    /** This JVM's class path, which failsafe made with the packaged jar in place of {@code target/classes}. */
    private static String classPathWithJar() {
        String jar = packagedJar().toAbsolutePath().normalize().toString();
        List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString()).toList();
        assertThat(entries).as("the class path of this test JVM").contains(jar)
                .noneMatch(e -> e.endsWith("ipcarc-posix/target/classes"));
        return String.join(File.pathSeparator, entries);
    }

    /** This JVM's java on JDK 22+, else the one of the JDK 22+ that compiled the FFM binding ({@code -Dipcarc.ffm.jdk}). */
    private static Path ffmJava() {
        if (Runtime.version().feature() >= 22) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Path java = Path.of(required("ipcarc.test.ffmJdk"), "bin", "java");
        assertThat(Files.isExecutable(java)).as("a JDK 22+ java at %s (-Dipcarc.ffm.jdk)", java).isTrue();
        return java;
    }

    private static Path packagedJar() {
        Path jar = Path.of(required("ipcarc.test.packagedJar"));
        assertThat(jar).as("the jar `mvn package` built").isRegularFile();
        return jar;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property %s (set by ipcarc-posix/pom.xml's failsafe execution)", property)
                .isNotBlank();
        return value;
    }

    private static int classFileMajor(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        assertThat(in.readInt()).as("class file magic").isEqualTo(0xCAFEBABE);
        in.readUnsignedShort(); // minor
        return in.readUnsignedShort();
    }
}
