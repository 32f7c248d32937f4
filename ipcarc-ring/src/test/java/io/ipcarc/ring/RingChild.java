package io.ipcarc.ring;

import java.util.concurrent.locks.LockSupport;

/**
 * The program the ring's cross-process tests start in separate JVMs: it claims a role of a ring
 * of {@code Long}, says so on stdout and keeps it until killed.
 * <ul>
 *   <li>{@code writer NAME N}: claims the writer (lossy), publishes N entries, prints {@code WRITER next=<seq>};</li>
 *   <li>{@code reader NAME ID N}: claims reader ID, consumes and commits N entries, prints {@code READER position=<seq>}.</li>
 * </ul>
 */
public final class RingChild {
    private RingChild() {
    }

    /**
     * @param args a command and its arguments
     * @throws InterruptedException never: a lossy writer does not wait
     */
    public static void main(String[] args) throws InterruptedException {
        Ring<Long> ring = Ring.open(args[1], Long.class);
        switch (args[0]) {
            case "writer" -> {
                RingWriter<Long> w = ring.claimWriter(WriterMode.LOSSY);
                for (long i = 0, n = Long.parseLong(args[2]); i < n; i++) {
                    w.publish(i);
                }
                System.out.println("WRITER next=" + w.nextSequence());
            }
            case "reader" -> {
                RingReader<Long> r = ring.claimReader(Integer.parseInt(args[2]));
                r.poll(e -> { }, Integer.parseInt(args[3]));
                r.commit();
                System.out.println("READER position=" + r.position());
            }
            default -> throw new IllegalArgumentException("unknown command: " + args[0]);
        }
        while (true) {
            LockSupport.park();
        }
    }
}
