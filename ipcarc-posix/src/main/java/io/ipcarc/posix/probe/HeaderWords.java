package io.ipcarc.posix.probe;

import io.ipcarc.posix.lock.MutexIntegrity;
import io.ipcarc.posix.segment.SegmentDescriptor;
import io.ipcarc.posix.sys.RawMemory;

/**
 * The lock protocol's header words of one arc, loaded and stored through the library's own
 * unchecked accessor (the one its lock path uses), and where each word is. The offsets come from
 * the library's layout classes, so a benchmark's word step cannot drift from the layout (see
 * docs/design.md, "Segment layout"). Valid while the arc is open.
 */
public final class HeaderWords {
    private final RawMemory words;

    HeaderWords(RawMemory words) {
        this.words = words;
    }

    /**
     * Loads a 32-bit word, plain, as the library does.
     *
     * @param offset byte offset in the header
     * @return the word
     */
    public int getInt(int offset) {
        return words.getInt(offset);
    }

    /**
     * Loads a 64-bit word, plain, as the library does.
     *
     * @param offset byte offset in the header
     * @return the word
     */
    public long getLong(int offset) {
        return words.getLong(offset);
    }

    /**
     * Loads a 64-bit word with acquire ordering, as a change waiter does.
     *
     * @param offset byte offset in the header
     * @return the word
     */
    public long getLongAcquire(int offset) {
        return words.getLongAcquire(offset);
    }

    /**
     * Stores a 32-bit word, plain, as the library does.
     *
     * @param offset byte offset in the header
     * @param value the word
     */
    public void putInt(int offset, int value) {
        words.putInt(offset, value);
    }

    /**
     * Returns where the user mutex's kind word is.
     *
     * @return where the user mutex's kind word is
     */
    public int userMutexKindOffset() {
        return SegmentDescriptor.USER_MUTEX_OFFSET + SegmentDescriptor.MUTEX_KIND_WORD;
    }

    /**
     * Returns what the kind word holds in an undamaged segment.
     *
     * @return what the kind word holds in an undamaged segment
     */
    public int userMutexKindValue() {
        return SegmentDescriptor.MUTEX_KIND;
    }

    /**
     * Returns where the user mutex's owner word (the futex word: owner tid and flags) is.
     *
     * @return where the user mutex's owner word is
     */
    public int userMutexOwnerOffset() {
        return SegmentDescriptor.USER_MUTEX_OFFSET + MutexIntegrity.OWNER_WORD;
    }

    /**
     * Returns where the user mutex's robust-list previous link is.
     *
     * @return where the user mutex's robust-list previous link is
     */
    public int userMutexListPrevOffset() {
        return SegmentDescriptor.USER_MUTEX_OFFSET + MutexIntegrity.LIST_PREV;
    }

    /**
     * Returns where the user mutex's robust-list next link is.
     *
     * @return where the user mutex's robust-list next link is
     */
    public int userMutexListNextOffset() {
        return SegmentDescriptor.USER_MUTEX_OFFSET + MutexIntegrity.LIST_NEXT;
    }

    /**
     * Returns where the lock holder's pid word is.
     *
     * @return where the lock holder's pid word is
     */
    public int ownerPidOffset() {
        return SegmentDescriptor.OWNER_PID_OFFSET;
    }

    /**
     * Returns where the owner-died flag is.
     *
     * @return where the owner-died flag is
     */
    public int ownerDiedOffset() {
        return SegmentDescriptor.OWNER_DIED_OFFSET;
    }

    /**
     * Returns where the sequence (commit and version) word is.
     *
     * @return where the sequence word is
     */
    public int sequenceOffset() {
        return SegmentDescriptor.SEQUENCE_OFFSET;
    }
}
