package io.ipcarc.bench;

import java.util.List;

/**
 * PLACEHOLDER (issue 3, the shared-memory ring): the parts of the suite that need the ring and
 * are not wired in yet. Each figure here is reported as "not measured yet"; replace an entry by
 * a harness that returns real {@link Figure}s (same key) - on main, the separate-JVM harness of
 * module {@code ipcarc-bench-xproc} measures these - and the floors in {@link Section#floors()}
 * by checks like those of {@link Floors}. No number is ever invented for these.
 */
public final class PendingSections {
    private static final String WHY = "not measured yet (needs the ring of issue 3)";

    /**
     * A report section that has no harness yet.
     *
     * @param title the section title
     * @param figures what it will measure, all missing
     * @param floors the floors for it, in words
     */
    public record Section(String title, List<Figure> figures, List<String> floors) {
    }

    private PendingSections() {
    }

    /** @return the ring, ping-pong and end-to-end sections */
    public static List<Section> all() {
        return List.of(
                new Section("Ring throughput (64-byte entries, separate JVMs)", List.of(
                        pending("ring.1", "IpcArc ring, writer to 1 reader", "entries/s"),
                        pending("ring.2", "IpcArc ring, writer to 2 readers", "entries/s"),
                        pending("ring.4", "IpcArc ring, writer to 4 readers", "entries/s"),
                        pending("agrona.oneToOne", "Agrona OneToOneRingBuffer, 1 reader", "entries/s"),
                        pending("agrona.broadcast", "Agrona BroadcastTransmitter/Receiver, 4 readers", "entries/s"),
                        pending("uds.1", "JDK Unix-domain SocketChannel, 1 reader", "entries/s")),
                        List.of("ring throughput >= Agrona's, 1 reader", "ring throughput >= Agrona's, 4 readers")),
                new Section("Ping-pong round trip (64-byte message, two processes)", List.of(
                        pending("pingpong.spin", "IpcArc ring, spin", "ns p50/p99/p99.9/max"),
                        pending("pingpong.block", "IpcArc ring, block (futex)", "ns p50/p99/p99.9/max"),
                        pending("pingpong.sleep", "seed 1 ms sleep polling", "ns p50/p99/p99.9/max"),
                        pending("pingpong.agrona", "Agrona", "ns p50/p99/p99.9/max"),
                        pending("pingpong.uds", "Unix-domain socket", "ns p50/p99/p99.9/max")),
                        List.of("ping-pong p50 <= 1 us with spin", "ping-pong p50 >= 20x lower than the Unix-domain socket",
                                "block wake-up p50 <= 50 us with the waiting process idle")),
                new Section("End to end (writer --rate 0 --lossless, two CSV reporters)", List.of(
                        pending("e2e.twoReporters", "sustained entries per second", "entries/s")),
                        List.of("end to end with two CSV reporters >= 1,000,000 entries/s")));
    }

    private static Figure pending(String key, String label, String unit) {
        return Figure.missing(key, label, unit, WHY);
    }
}
