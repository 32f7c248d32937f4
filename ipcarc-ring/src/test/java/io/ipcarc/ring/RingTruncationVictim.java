package io.ipcarc.ring;

import io.ipcarc.CorruptSegmentException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM whose ring reader sleeps in its wait while another process truncates the ring's
 * segment, round after round (the ring's part of the truncation tests). Commands on stdin:
 * {@code ROUND NAME} opens the ring of {@code Long}, claims reader 0 and reads in a thread with
 * {@link WaitStrategy#BLOCK} (answers {@code READY} once it read the entries already published);
 * {@code ARM} (answers {@code ARMED}); {@code TRUNCATED}: the thread must end with
 * {@link CorruptSegmentException} within {@link #BOUND}, then the ring is closed; answers
 * {@code DONE ok corruptMillis=N} or {@code DONE FAIL reasons}; {@code QUIT} exits 0.
 */
public final class RingTruncationVictim {
    /** How long the sleeping reader may take to see the truncation. */
    static final Duration BOUND = Duration.ofSeconds(10);

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean armed;
    private volatile long corruptAt;
    private Ring<Long> ring;
    private Thread reader;

    private RingTruncationVictim() {
    }

    /**
     * @param args none
     * @throws IOException if stdin fails
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        RingTruncationVictim v = new RingTruncationVictim();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> v.failures.add("escaped into " + t.getName() + ": " + e));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "ROUND" -> v.start(w[1], Long.parseLong(w[2]));
                case "ARM" -> {
                    v.armed = true;
                    System.out.println("ARMED");
                }
                case "TRUNCATED" -> v.finish();
                case "QUIT" -> {
                    System.out.println("BYE");
                    System.exit(0);
                }
                default -> System.out.println("FAIL unknown command: " + line);
            }
        }
    }

    private void start(String name, long published) throws InterruptedException {
        failures.clear();
        armed = false;
        corruptAt = 0;
        ring = Ring.open(name, Long.class);
        CountDownLatch caughtUp = new CountDownLatch(1);
        reader = new Thread(() -> {
            try (RingReader<Long> r = ring.claimReader(0)) {
                int idle = 0;
                while (true) {
                    if (r.poll(e -> { }, 64) > 0) {
                        idle = 0;
                        r.commit();
                    } else {
                        if (r.position() >= published) {
                            caughtUp.countDown();
                        }
                        r.idle(WaitStrategy.BLOCK, idle++);
                    }
                }
            } catch (CorruptSegmentException e) {
                if (!armed) {
                    failures.add("CorruptSegmentException before the truncation: " + e.getMessage());
                }
                corruptAt = System.nanoTime();
            } catch (Throwable e) {
                failures.add("reader: " + e);
            }
        }, "ring-reader");
        reader.start();
        if (!caughtUp.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            failures.add("reader did not catch up in " + BOUND);
        }
        System.out.println("READY");
    }

    private void finish() throws InterruptedException {
        long truncatedAt = System.nanoTime();
        reader.join(BOUND.toMillis());
        if (reader.isAlive()) {
            failures.add("the sleeping reader saw no CorruptSegmentException within " + BOUND + " (hung)");
        }
        try {
            ring.close();
        } catch (CorruptSegmentException e) {
            // the reader's claim could not be written back: the segment is gone; the handle is closed
        } catch (RuntimeException e) {
            failures.add("close: " + e);
        }
        try {
            ring.refCount();
            failures.add("the ring's handle is still open after close()");
        } catch (IllegalStateException expected) {
            // closed
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, corruptAt - truncatedAt));
        System.out.println(failures.isEmpty() ? "DONE ok corruptMillis=" + millis : "DONE FAIL " + String.join(" | ", failures));
    }
}
