package io.ipcarc.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The child of the launcher's tests: prints {@code READY} and its arguments, then obeys its
 * standard input line by line: {@code echo TEXT} prints TEXT, {@code exit N} exits with N,
 * {@code exit-after MILLIS N} exits with N that much later, {@code property NAME} prints the
 * system property's value.
 */
public final class EchoChild {
    private EchoChild() {
    }

    /**
     * Runs the child.
     *
     * @param args printed after {@code READY}
     * @throws IOException if standard input fails
     */
    public static void main(String[] args) throws IOException {
        System.out.println("READY " + String.join(" ", args));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "echo" -> System.out.println(f[1]);
                case "exit" -> System.exit(Integer.parseInt(f[1]));
                case "exit-after" -> {
                    LockSupport.parkNanos(Long.parseLong(f[1]) * 1_000_000L);
                    System.exit(Integer.parseInt(f[2]));
                }
                case "property" -> System.out.println("PROPERTY " + System.getProperty(f[1]));
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
    }
}
