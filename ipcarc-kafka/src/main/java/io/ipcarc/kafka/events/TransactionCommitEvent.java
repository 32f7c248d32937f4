package io.ipcarc.kafka.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * One attempt of the Kafka forwarder to commit its open transaction: the event's duration is the
 * {@code commitTransaction()} call. A forwarder commits once per batch of entries, up to hundreds
 * of times a second, so only commits slower than the threshold are recorded by default (20 ms:
 * a slow broker or coordinator); lower it to 0 ms to see every commit.
 */
@Name("io.ipcarc.KafkaTransactionCommit")
@Label("IpcArc Kafka Transaction Commit")
@Category({"IpcArc", "Kafka"})
@Description("The Kafka forwarder committed a transaction of ring entries; the duration is the commit")
@Threshold("20 ms")
public final class TransactionCommitEvent extends Event {
    /** The ring's name. */
    @Label("Ring")
    public String ring;

    /** The topic the entries went to. */
    @Label("Topic")
    public String topic;

    /** The producer's {@code transactional.id}. */
    @Label("Transactional ID")
    public String transactionalId;

    /** Entries (records) in the transaction. */
    @Label("Entries")
    public int entries;

    /** The ring position the forwarder stores once the commit succeeded. */
    @Label("Ring Position")
    @Description("The reader position after the transaction's last entry: stored in the ring once the commit succeeded")
    public long position;

    /** How the attempt ended. */
    @Label("Outcome")
    @Description("committed; timed-out (the commit stays pending and is called again); failed (the producer is dropped)")
    public String outcome;

    /** Made by the forwarder, before it commits. */
    public TransactionCommitEvent() {
    }
}
