package io.ipcarc.kafka;

import io.ipcarc.kafka.KafkaRingForwarder.KafkaState;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The forwarder's log of a Kafka outage. Failed attempts shorter than the grace (ordinary
 * latency on a loaded host: a commit that took longer than {@code max.block.ms}) are only
 * counted; once Kafka has failed for the grace without a success in between it is an outage:
 * one line then, at most one per interval while it lasts, one when it ends. Never one line per
 * failed request.
 */
final class OutageLog {
    private final Consumer<String> log;
    private final String who;
    private final String where;
    private final long graceNanos;
    private final long intervalNanos;
    private long since;
    private long nextLine;
    private boolean failing;
    private boolean logged;
    private long failedAttempts;

    /**
     * @param log where lines go
     * @param who the line's prefix, for example {@code reporter 0}
     * @param where {@code bootstrap=..., topic=...}
     * @param graceNanos how long attempts may fail before it is an outage
     * @param intervalNanos the least time between two lines of one outage
     */
    OutageLog(Consumer<String> log, String who, String where, long graceNanos, long intervalNanos) {
        this.log = log;
        this.who = who;
        this.where = where;
        this.graceNanos = graceNanos;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Records a failed attempt to reach Kafka; logs it once the failures have lasted the grace,
     * then once per interval.
     *
     * @param cause what failed
     * @param holding what the forwarder holds meanwhile, for example {@code holding ring position 5 (12 entries pending)}
     */
    void failed(Throwable cause, String holding) {
        long now = System.nanoTime();
        failedAttempts++;
        if (!failing) {
            failing = true;
            since = now;
            nextLine = now + graceNanos;
        }
        if (now - nextLine >= 0) {
            logged = true;
            log.accept(String.format("%s: kafka unavailable for %d s: %s, cause=%s; %s", who, (now - since) / 1_000_000_000L,
                    where, describe(cause), holding));
            nextLine = now + intervalNanos;
        }
    }

    /** A request succeeded: ends an outage with one line if one was logged. */
    void recovered() {
        if (failing && logged) {
            log.accept(String.format("%s: kafka back after %d s: %s", who, (System.nanoTime() - since) / 1_000_000_000L, where));
        }
        failing = false;
        logged = false;
    }

    /** @return OK, RETRYING (failing for less than the grace) or UNAVAILABLE */
    KafkaState state() {
        if (!failing) {
            return KafkaState.OK;
        }
        return System.nanoTime() - since >= graceNanos ? KafkaState.UNAVAILABLE : KafkaState.RETRYING;
    }

    /** @return how long the attempts have been failing, zero if the last one succeeded */
    Duration failingFor() {
        return failing ? Duration.ofNanos(System.nanoTime() - since) : Duration.ZERO;
    }

    /** @return failed attempts to reach Kafka since the forwarder was built */
    long failedAttempts() {
        return failedAttempts;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String line = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        line = line.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
