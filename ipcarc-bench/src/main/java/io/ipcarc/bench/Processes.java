package io.ipcarc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Collecting the output of the helper processes the suite starts. */
final class Processes {
    private Processes() {
    }

    /**
     * Reads everything the process prints (stdout and, if redirected, stderr) until it closes
     * its output, then waits for it to exit (killing it after five minutes).
     *
     * @param p a started process
     * @return its output lines
     * @throws IOException if reading fails
     */
    static List<String> output(Process p) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        return lines;
    }
}
