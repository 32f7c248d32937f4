package io.ipcarc.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A world-readable copy of this JVM's class path in a temporary directory, for child JVMs
 * that run as another user (the Maven repository under /root is not readable by them).
 * Closing it deletes the copy.
 */
public final class PortableClasspath implements AutoCloseable {
    private final Path dir;
    private final String classPath;

    /** Copies every class-path entry (jar or directory). */
    public PortableClasspath() {
        try {
            dir = Files.createTempDirectory("ipcarc-cp-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path src = Path.of(e);
                if (!Files.exists(src)) {
                    continue;
                }
                Path dst = dir.resolve((i++) + "-" + src.getFileName());
                copy(src, dst);
                entries.add(dst.toString());
            }
            classPath = String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path src, Path dst) throws IOException {
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /**
     * The class path of the copied jars and classes.
     *
     * @return the class path of the copy
     */
    public String classPath() {
        return classPath;
    }

    /** Deletes the copy. */
    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: it is in the temporary directory
        }
    }
}
