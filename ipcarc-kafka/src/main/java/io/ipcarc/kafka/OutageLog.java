package io.ipcarc.kafka;

import java.util.function.Consumer;

/**
 * The forwarder's log of a Kafka outage: one line when it begins, then at most one per interval
 * while it lasts, one when it ends; never one per failed request.
 */
final class OutageLog {
    private final Consumer<String> log;
    private final String who;
    private final String where;
    private final long intervalNanos;
    private long since;
    private long nextLine;
    private boolean down;

    /**
     * @param log where lines go
     * @param who the line's prefix, for example {@code reporter 0}
     * @param where {@code bootstrap=..., topic=...}
     * @param intervalNanos the least time between two lines of one outage
     */
    OutageLog(Consumer<String> log, String who, String where, long intervalNanos) {
        this.log = log;
        this.who = who;
        this.where = where;
        this.intervalNanos = intervalNanos;
    }

    /** @return whether an outage is going on */
    boolean down() {
        return down;
    }

    /**
     * Records a failed attempt to reach Kafka; logs it if it starts an outage or the interval passed.
     *
     * @param cause what failed
     * @param holding what the forwarder holds meanwhile, for example {@code holding ring position 5 (12 entries pending)}
     */
    void failed(Throwable cause, String holding) {
        long now = System.nanoTime();
        if (!down) {
            down = true;
            since = now;
            nextLine = now;
        }
        if (now - nextLine >= 0) {
            log.accept(String.format("%s: kafka unavailable for %d s: %s, cause=%s; %s", who, (now - since) / 1_000_000_000L,
                    where, describe(cause), holding));
            nextLine = now + intervalNanos;
        }
    }

    /** Ends an outage, if one was going on, with one line. */
    void recovered() {
        if (down) {
            down = false;
            log.accept(String.format("%s: kafka back after %d s: %s", who, (System.nanoTime() - since) / 1_000_000_000L, where));
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String line = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
