package io.ipcarc.bench;

import io.ipcarc.IpcArc;
import io.ipcarc.posix.probe.HeaderWords;
import io.ipcarc.posix.probe.PosixProbe;

/**
 * The memory through which ipcarc-posix itself reads and writes the lock protocol's shared words
 * (its handle's header words), and where those words are: reached through the provider's
 * supported probe ({@link PosixProbe}), for {@link AcquireStepBenchmarks} only, so that its word
 * step makes the library's own accesses rather than a user's checked ones. The offsets come from
 * the library's layout classes, so they cannot drift from the layout.
 */
final class LibraryWords {
    /** The header words; their owner is the arc given to {@link #of}. */
    private final HeaderWords words;
    /** The user mutex's kind word. */
    final int kind;
    /** What the kind word holds in an undamaged segment. */
    final int kindValue;
    /** The owner pid word. */
    final int ownerPid;
    /** The commit (sequence) word. */
    final int sequence;
    /** The owner-died flag. */
    final int ownerDied;
    /** The user mutex's owner word. */
    final int mutexOwner;
    /** The user mutex's robust-list previous link. */
    final int listPrev;
    /** The user mutex's robust-list next link. */
    final int listNext;

    private LibraryWords(HeaderWords words) {
        this.words = words;
        this.kind = words.userMutexKindOffset();
        this.kindValue = words.userMutexKindValue();
        this.ownerPid = words.ownerPidOffset();
        this.sequence = words.sequenceOffset();
        this.ownerDied = words.ownerDiedOffset();
        this.mutexOwner = words.userMutexOwnerOffset();
        this.listPrev = words.userMutexListPrevOffset();
        this.listNext = words.userMutexListNextOffset();
    }

    /**
     * Finds the words of {@code arc}.
     *
     * @param arc an open arc of the POSIX provider
     * @return its header view and word offsets
     */
    static LibraryWords of(IpcArc<?> arc) {
        return new LibraryWords(PosixProbe.headerWords(arc));
    }

    /**
     * Loads a 32-bit word as the library does.
     *
     * @param offset where
     * @return the word
     */
    int getInt(int offset) {
        return words.getInt(offset);
    }

    /**
     * Loads a 64-bit word as the library does.
     *
     * @param offset where
     * @return the word
     */
    long getLong(int offset) {
        return words.getLong(offset);
    }

    /**
     * Stores a 32-bit word as the library does.
     *
     * @param offset where
     * @param value what
     */
    void putInt(int offset, int value) {
        words.putInt(offset, value);
    }
}
