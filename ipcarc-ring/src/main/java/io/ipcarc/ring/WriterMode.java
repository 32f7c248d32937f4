package io.ipcarc.ring;

/** What the writer does when the slowest registered reader is a whole ring behind. */
public enum WriterMode {
    /** Wait for it: no registered reader loses an entry. */
    LOSSLESS,
    /** Overwrite: a reader that falls a ring behind loses entries and is told which. */
    LOSSY
}
