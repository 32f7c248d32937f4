package io.ipcarc.posix;

import static io.ipcarc.posix.SegmentDescriptor.*;

import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import java.nio.charset.StandardCharsets;

/**
 * The immutable fields of a segment header, read from a mapping or from a snapshot, and the
 * consistency checks that the loader and the inspector share.
 */
record SegmentHeader(int version, long segmentSize, int payloadOffset, int payloadSize, int descriptorOffset,
                     int descriptorLength, int holdersOffset, int holderSlots) {

    /**
     * @param h a view of at least the first {@link SegmentDescriptor#DESCRIPTOR_OFFSET} bytes
     * @return the fields as stored
     */
    static SegmentHeader read(SharedView h) {
        return new SegmentHeader(h.getInt(VERSION_OFFSET), h.getLong(SEGMENT_SIZE_OFFSET), h.getInt(PAYLOAD_OFFSET_OFFSET),
                h.getInt(PAYLOAD_SIZE_OFFSET), h.getInt(DESCRIPTOR_OFFSET_OFFSET), h.getInt(DESCRIPTOR_LENGTH_OFFSET),
                h.getInt(HOLDERS_OFFSET_OFFSET), h.getInt(HOLDER_SLOTS_OFFSET));
    }

    /**
     * @param name the segment, for the message
     * @param size the object's actual size
     * @return what is wrong with the header, as {@code cause: key=value...}, or {@code null} if it is usable
     */
    String problem(String name, long size) {
        if (version != LAYOUT_VERSION) {
            return "unsupported layout version: name=" + name + ", version=" + version + ", supported=" + LAYOUT_VERSION;
        }
        if (segmentSize != size) {
            return "object size does not match its header: name=" + name + ", size=" + size + ", header=" + segmentSize
                    + " (truncated or resized by another process)";
        }
        if (descriptorOffset != DESCRIPTOR_OFFSET || descriptorLength <= 0 || descriptorLength > ShmLayout.MAX_DESCRIPTOR_BYTES
                || payloadOffset != SegmentDescriptor.payloadOffset(descriptorLength) || payloadSize <= 0
                || (long) payloadOffset + payloadSize > size || holdersOffset != HOLDERS_OFFSET || holderSlots != HOLDER_SLOTS) {
            return "inconsistent header: name=" + name + ", payloadOffset=" + payloadOffset + ", payloadSize=" + payloadSize
                    + ", descriptorOffset=" + descriptorOffset + ", descriptorLength=" + descriptorLength + ", size=" + size;
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
}
