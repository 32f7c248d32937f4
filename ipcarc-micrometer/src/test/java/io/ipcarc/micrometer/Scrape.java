package io.ipcarc.micrometer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Prometheus text-format scrape, as a registry's {@code scrape()} returns it, and the samples
 * in it.
 *
 * @param text the scrape
 */
record Scrape(String text) {

    /**
     * The value of the one sample of {@code metric} carrying all {@code labels}.
     *
     * @param metric the sample's name, such as {@code ipcarc_segment_refcount_handles}
     * @param labels {@code name="value"} pairs the sample must carry
     * @return its value
     * @throws AssertionError if there is no such sample, or more than one
     */
    double value(String metric, String... labels) {
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                found.add(line);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("expected one sample of " + metric + " with " + List.of(labels) + ", found " + found
                    + " in:\n" + text);
        }
        String line = found.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /**
     * The lines of the scrape that mention {@code part}, for docs and failure messages.
     *
     * @param part a metric name or label
     * @return those lines, in order
     */
    List<String> lines(String part) {
        return text.lines().filter(l -> l.contains(part)).toList();
    }

    /**
     * Keeps this scrape, which a test checked, in target/, for the excerpts docs/operations.md shows.
     *
     * @param file the file name in target/
     * @return this scrape
     */
    Scrape keep(String file) {
        try {
            Files.writeString(Path.of("target", file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
