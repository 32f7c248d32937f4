package io.ipcarc.posix.segment;

import static io.ipcarc.posix.segment.SegmentDescriptor.*;

import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.sys.ProcessIds;
import java.nio.charset.StandardCharsets;

/**
 * The immutable fields of a segment header: written once by the creator ({@link #writeNew},
 * {@link #writeMutexes}), read from a mapping or from a snapshot ({@link #read}), and the
 * consistency checks that the loader and the inspector share. A header that passes
 * {@link #problem} describes a layout this code can use without reading out of bounds.
 * docs/design.md, "Byte layout", gives each field's offset and meaning.
 *
 * @param version the layout version (2)
 * @param segmentSize the object's size
 * @param payloadOffset where payload copy 0 starts
 * @param payloadSize bytes of one copy
 * @param descriptorOffset where the type descriptor starts
 * @param descriptorLength its UTF-8 bytes
 * @param holdersOffset where the holder table starts
 * @param holderSlots its slots
 * @param payloadMode 1 raw, 2 crash-atomic
 * @param copyStride bytes from copy 0 to copy 1 (0 when raw)
 * @param mutexKind the kind word glibc stored at init
 * @param mutexSize sizeof(pthread_mutex_t) of the creator's C library
 * @param mutexLibrary the creator's C library, e.g. {@code glibc 2.36}
 */
public record SegmentHeader(int version, long segmentSize, int payloadOffset, int payloadSize, int descriptorOffset,
                     int descriptorLength, int holdersOffset, int holderSlots, int payloadMode, int copyStride,
                     int mutexKind, int mutexSize, String mutexLibrary) {

    /**
     * @param h a view of at least the first {@link SegmentDescriptor#HOLDERS_OFFSET} bytes
     * @return the fields as stored
     */
    static SegmentHeader read(SharedView h) {
        byte[] lib = new byte[MUTEX_LIBRARY_BYTES];
        h.getBytes(MUTEX_LIBRARY_OFFSET, lib, 0, lib.length);
        int end = 0;
        while (end < lib.length && lib[end] != 0) {
            end++;
        }
        return new SegmentHeader(h.getInt(VERSION_OFFSET), h.getLong(SEGMENT_SIZE_OFFSET), h.getInt(PAYLOAD_OFFSET_OFFSET),
                h.getInt(PAYLOAD_SIZE_OFFSET), h.getInt(DESCRIPTOR_OFFSET_OFFSET), h.getInt(DESCRIPTOR_LENGTH_OFFSET),
                h.getInt(HOLDERS_OFFSET_OFFSET), h.getInt(HOLDER_SLOTS_OFFSET), h.getInt(PAYLOAD_MODE_OFFSET),
                h.getInt(COPY_STRIDE_OFFSET), h.getInt(MUTEX_KIND_OFFSET), h.getInt(MUTEX_SIZE_OFFSET),
                new String(lib, 0, end, StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes the fields of a new segment's header that never change (the layout, the type, the
     * creator), before anyone can map it as ready: plain stores, published by the release store
     * of the magic and then of the state (docs/design.md, "Creating a segment").
     *
     * @param h the new segment's mapping
     * @param size the object's size
     * @param type the payload's type (its fingerprint and size)
     * @param descriptor the type descriptor's UTF-8 bytes
     * @param payloadOffset where payload copy 0 starts
     * @param crashAtomic whether the payload is kept in two copies
     * @param mode the object's permission bits
     */
    static void writeNew(MemoryView h, long size, ShmType<?> type, byte[] descriptor, int payloadOffset,
                         boolean crashAtomic, int mode) {
        h.putInt(VERSION_OFFSET, LAYOUT_VERSION);
        h.putLong(FINGERPRINT_OFFSET, type.fingerprint());
        h.putLong(SEGMENT_SIZE_OFFSET, size);
        h.putInt(PAYLOAD_OFFSET_OFFSET, payloadOffset);
        h.putInt(PAYLOAD_SIZE_OFFSET, type.size());
        h.putInt(DESCRIPTOR_OFFSET_OFFSET, DESCRIPTOR_OFFSET);
        h.putInt(DESCRIPTOR_LENGTH_OFFSET, descriptor.length);
        h.putInt(HOLDERS_OFFSET_OFFSET, HOLDERS_OFFSET);
        h.putInt(HOLDER_SLOTS_OFFSET, HOLDER_SLOTS);
        h.putInt(CREATOR_PID_OFFSET, ProcessIds.SELF_PID);
        h.putInt(MODE_OFFSET, mode);
        h.putLong(CREATOR_START_OFFSET, ProcessIds.SELF_START);
        h.putLong(CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        h.putInt(PAYLOAD_MODE_OFFSET, crashAtomic ? MODE_CRASH_ATOMIC : MODE_RAW);
        h.putInt(COPY_STRIDE_OFFSET, crashAtomic ? (int) SegmentDescriptor.copyStride(type.size()) : 0);
        h.putBytes(DESCRIPTOR_OFFSET, descriptor, 0, descriptor.length);
    }

    /**
     * Records, after both mutexes were initialised, what a peer needs to check that it can lock
     * them: the kind word the C library stored, the mutex size, and the library's name.
     *
     * @param h the new segment's mapping
     * @param kind the kind word read back from the initialised mutexes
     * @param library the C library, e.g. {@code glibc 2.36} (cut to fit, NUL-terminated)
     */
    static void writeMutexes(MemoryView h, int kind, String library) {
        h.putInt(MUTEX_KIND_OFFSET, kind);
        h.putInt(MUTEX_SIZE_OFFSET, MUTEX_SIZE);
        byte[] lib = library.getBytes(StandardCharsets.US_ASCII);
        h.putBytes(MUTEX_LIBRARY_OFFSET, lib, 0, Math.min(lib.length, MUTEX_LIBRARY_BYTES - 1));
    }

    /** @return whether the payload is kept in two copies */
    boolean crashAtomic() {
        return payloadMode == MODE_CRASH_ATOMIC;
    }

    /**
     * @param name the segment, for the message
     * @param size the object's actual size
     * @return what is wrong with the header, as {@code cause: key=value...}, or {@code null} if it is usable
     */
    String problem(String name, long size) {
        if (version != LAYOUT_VERSION) {
            return "unsupported layout version: name=" + name + ", version=" + version + ", supported=" + LAYOUT_VERSION
                    + (version == 1 ? " (made by an older IpcArc: close its holders and create it again)" : "");
        }
        if (segmentSize != size) {
            return "object size does not match its header: name=" + name + ", size=" + size + ", header=" + segmentSize
                    + " (truncated or resized by another process)";
        }
        if (descriptorOffset != DESCRIPTOR_OFFSET || descriptorLength <= 0 || descriptorLength > ShmLayout.MAX_DESCRIPTOR_BYTES
                || payloadOffset != SegmentDescriptor.payloadOffset(descriptorLength) || payloadSize <= 0
                || holdersOffset != HOLDERS_OFFSET || holderSlots != HOLDER_SLOTS) {
            return "inconsistent header: name=" + name + ", payloadOffset=" + payloadOffset + ", payloadSize=" + payloadSize
                    + ", descriptorOffset=" + descriptorOffset + ", descriptorLength=" + descriptorLength + ", size=" + size;
        }
        boolean twoCopies = payloadMode == MODE_CRASH_ATOMIC;
        if (payloadMode != MODE_RAW && !twoCopies
                || copyStride != (twoCopies ? SegmentDescriptor.copyStride(payloadSize) : 0)
                || SegmentDescriptor.segmentSize(payloadOffset, payloadSize, twoCopies ? 2 : 1) > size) {
            return "inconsistent payload copies: name=" + name + ", payloadMode=" + payloadMode + ", copyStride=" + copyStride
                    + ", payloadSize=" + payloadSize + ", size=" + size;
        }
        if (mutexKind != MUTEX_KIND || mutexSize != MUTEX_SIZE || !mutexLibrary.startsWith("glibc ")) {
            return "mutexes of another C library: name=" + name + ", library=" + (mutexLibrary.isEmpty() ? "?" : mutexLibrary)
                    + ", kind=" + mutexKind + ", size=" + mutexSize + ", expected=glibc kind=" + MUTEX_KIND + " size=" + MUTEX_SIZE
                    + " (this process locks with glibc's pthread_mutex_t)";
        }
        if (!CLibrary.NAME.startsWith("glibc ")) {
            // The segment's mutexes are glibc's; this process's pthread functions would misread them.
            return "this process's C library cannot lock the segment's mutexes: name=" + name + ", library=" + mutexLibrary
                    + ", thisProcess=" + CLibrary.NAME;
        }
        return null;
    }

    /**
     * @param h a view that contains the descriptor
     * @return the descriptor text; call only on a header without {@link #problem}
     */
    String descriptor(SharedView h) {
        byte[] desc = new byte[descriptorLength];
        h.getBytes(descriptorOffset, desc, 0, descriptorLength);
        return new String(desc, StandardCharsets.UTF_8);
    }

    /**
     * @param copy 0 or 1
     * @return where that copy of the payload starts
     */
    public int copyOffset(int copy) {
        return payloadOffset + copy * copyStride;
    }
}
