package io.ipcarc.map;

import io.ipcarc.CorruptSegmentException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JVM whose threads read and write a map while another process truncates its segment, round
 * after round. Commands on stdin: {@code ROUND NAME KEYS} loads the {@code IpcMap<Long, Long>} and
 * starts two readers (gets) and a writer (puts and removes), answering {@code READY} once each made
 * its first operations; {@code ARM}; {@code TRUNCATED}: every thread must end with
 * {@link CorruptSegmentException} within {@link #BOUND}, then the map is closed; answers
 * {@code DONE ok corruptMillis=N lateFaults=N} or {@code DONE FAIL reasons}. A late fault is an
 * {@code InternalError} HotSpot raised after the access that faulted (design.md, "Truncation":
 * JDK 17 can deliver it in the caller's code); it is counted, not a failure. {@code QUIT} exits 0.
 */
public final class MapTruncationVictim {
    /** How long the threads may take to see the truncation. */
    static final Duration BOUND = Duration.ofSeconds(10);

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lateFaults = new AtomicInteger();
    private volatile boolean armed;
    private volatile long lastCorruptAt;
    private IpcMap<Long, Long> map;
    private final List<Thread> threads = new ArrayList<>();

    private MapTruncationVictim() {
    }

    /**
     * @param args none
     * @throws IOException if stdin fails
     * @throws InterruptedException never in practice
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        MapTruncationVictim v = new MapTruncationVictim();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> v.failures.add("escaped into " + t.getName() + ": " + e));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            switch (w[0]) {
                case "ROUND" -> v.start(w[1], Integer.parseInt(w[2]));
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

    private void start(String name, int keys) throws InterruptedException {
        failures.clear();
        lateFaults.set(0);
        armed = false;
        lastCorruptAt = 0;
        threads.clear();
        map = IpcMap.load(name, Long.class, Long.class);
        java.util.concurrent.CountDownLatch working = new java.util.concurrent.CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            boolean writer = i == 2;
            long seed = i;
            Thread t = new Thread(() -> work(writer, keys, seed, working), writer ? "map-writer" : "map-reader-" + i);
            threads.add(t);
            t.start();
        }
        if (!working.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            failures.add("threads did not start working in " + BOUND);
        }
        System.out.println("READY");
    }

    private void work(boolean writer, int keys, long seed, java.util.concurrent.CountDownLatch working) {
        SplittableRandom r = new SplittableRandom(seed);
        try {
            for (long n = 0; ; n++) {
                long k = r.nextInt(keys);
                if (!writer) {
                    Long v = map.get(k);
                    if (v != null && v != k && v != -k) {
                        failures.add("read a value never written: key=" + k + ", value=" + v);
                    }
                } else if (r.nextBoolean()) {
                    map.put(k, -k);
                } else {
                    map.remove(k);
                }
                if (n == 1000) {
                    working.countDown();
                }
            }
        } catch (CorruptSegmentException e) {
            if (!armed) {
                failures.add("CorruptSegmentException before the truncation: " + e.getMessage());
            }
            lastCorruptAt = System.nanoTime();
        } catch (InternalError e) {
            lateFaults.incrementAndGet(); // a fault HotSpot delivered late, outside the library call
            lastCorruptAt = System.nanoTime();
        } catch (Throwable e) {
            failures.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    private void finish() throws InterruptedException {
        long truncatedAt = System.nanoTime();
        for (Thread t : threads) {
            t.join(BOUND.toMillis());
            if (t.isAlive()) {
                failures.add(t.getName() + " saw no CorruptSegmentException within " + BOUND + " (hung)");
            }
        }
        try {
            map.close();
        } catch (RuntimeException e) {
            failures.add("close: " + e);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, lastCorruptAt - truncatedAt));
        System.out.println(failures.isEmpty() ? "DONE ok corruptMillis=" + millis + " lateFaults=" + lateFaults.get()
                : "DONE FAIL " + String.join(" | ", failures));
    }
}
