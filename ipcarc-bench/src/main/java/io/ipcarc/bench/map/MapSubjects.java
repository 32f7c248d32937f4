package io.ipcarc.bench.map;

import io.ipcarc.ShmType;
import io.ipcarc.map.IpcMap;
import io.ipcarc.map.MapOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The maps the rows compare, built the same way in every JVM of a row: an {@link IpcMap} of
 * {@code Long} to {@link Rec8}, and a Chronicle Map of the same types persisted to a file in
 * {@code /dev/shm} (the same memory IpcMap's segments live in), with its entry count given up
 * front as IpcMap's capacity is.
 */
public final class MapSubjects {
    /** Bytes of the string keys of the string-key rows. */
    public static final int STRING_KEY_BYTES = 16;

    private MapSubjects() {
    }

    /**
     * The JVM options Chronicle Map needs on JDK 17 and later: the list of Chronicle's
     * "Java 17 support" page (the exports and opens of its off-heap and compiler code), and, on
     * JDK 23+, {@code sun.misc.Unsafe}'s memory access allowed without a warning.
     *
     * @param feature the JDK's feature version
     * @return the options
     */
    public static List<String> chronicleOptions(int feature) {
        List<String> o = new ArrayList<>(List.of(
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true",
                "-Dchronicle.announcer.disable=true"));
        if (feature >= 23) {
            o.add("--sun-misc-unsafe-memory-access=allow");
        }
        return o;
    }

    /**
     * Creates an IpcMap of {@code capacity} keys.
     *
     * @param name its segment name
     * @param capacity its capacity
     * @return the first handle
     */
    public static IpcMap<Long, Rec8> createIpc(String name, int capacity) {
        return IpcMap.create(name, ShmType.of(Long.class), ShmType.of(Rec8.class), MapOptions.capacity(capacity));
    }

    /**
     * Creates an IpcMap of {@code capacity} string keys of up to 16 bytes.
     *
     * @param name its segment name
     * @param capacity its capacity
     * @return the first handle
     */
    public static IpcMap<String, Rec8> createIpcString(String name, int capacity) {
        return IpcMap.create(name, String.class, Rec8.class, MapOptions.capacity(capacity).withKeyCapacity(STRING_KEY_BYTES));
    }

    /**
     * Creates a Chronicle Map of {@code entries} string keys, sized for 16-byte keys, persisted to {@code file}.
     *
     * @param file its file
     * @param entries its entry count
     * @return the map
     */
    public static ChronicleMap<String, Rec8> chronicleString(File file, long entries) {
        try {
            return ChronicleMapBuilder.of(String.class, Rec8.class)
                    .name("ipcarc-bench-string")
                    .entries(entries)
                    .averageKeySize(STRING_KEY_BYTES)
                    .valueMarshaller(Rec8Marshaller.INSTANCE)
                    .constantValueSizeBySample(Rec8.of(0))
                    .createPersistedTo(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Chronicle map: file=" + file, e);
        }
    }

    /**
     * Opens an IpcMap another JVM created.
     *
     * @param name its segment name
     * @return a handle
     */
    public static IpcMap<Long, Rec8> loadIpc(String name) {
        return IpcMap.load(name, Long.class, Rec8.class);
    }

    /**
     * Creates, or opens if it exists, a Chronicle Map of {@code entries} keys persisted to {@code file}.
     *
     * @param file its file
     * @param entries its entry count
     * @return the map
     */
    public static ChronicleMap<Long, Rec8> chronicle(File file, long entries) {
        try {
            return ChronicleMapBuilder.of(Long.class, Rec8.class)
                    .name("ipcarc-bench")
                    .entries(entries)
                    .valueMarshaller(Rec8Marshaller.INSTANCE)
                    .constantValueSizeBySample(Rec8.of(0))
                    .createPersistedTo(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Chronicle map: file=" + file, e);
        }
    }
}
