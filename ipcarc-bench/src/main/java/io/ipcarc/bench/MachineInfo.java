package io.ipcarc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the figures were measured on.
 *
 * @param date when the suite ran (UTC)
 * @param jdk the JVM's name and version
 * @param cpu the CPU model from /proc/cpuinfo
 * @param cores processors available to the JVM
 * @param os the kernel
 */
public record MachineInfo(String date, String jdk, String cpu, int cores, String os) {

    /**
     * Returns the machine this JVM runs on.
     *
     * @return the machine this JVM runs on
     */
    public static MachineInfo current() {
        return new MachineInfo(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux, or /proc not mounted
        }
        return "unknown";
    }
}
