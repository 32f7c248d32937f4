package io.ipcarc.ring;

/** Told which entries a reader lost because the writer overwrote them before they were read. */
@FunctionalInterface
public interface LossListener {
    /** Ignores losses (they are still counted in {@link RingReader#lost()}). */
    LossListener IGNORE = (from, to) -> { };

    /**
     * Reports a range of entries the writer overwrote before this reader read them.
     *
     * @param from first lost sequence
     * @param to the sequence after the last lost one
     */
    void onLoss(long from, long to);
}
