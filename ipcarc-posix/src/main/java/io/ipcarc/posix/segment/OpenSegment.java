package io.ipcarc.posix.segment;

import io.ipcarc.ShmType;
import io.ipcarc.posix.memory.MappedMemory;
import io.ipcarc.posix.memory.MemoryView;

/**
 * A mapped, validated segment on which this process holds one reference.
 *
 * @param name the normalised name
 * @param type the payload type
 * @param memory the mapping
 * @param view a view of the whole mapping
 * @param header the validated immutable header fields
 * @param attachment this process's attachment (liveness token, holder slot)
 * @param created whether this process created it
 */
public record OpenSegment(String name, ShmType<?> type, MappedMemory memory, MemoryView view, SegmentHeader header,
                   Attachment attachment, boolean created) {

    /** @return the object's inode, to recognise it by name later */
    long inode() {
        return attachment.inode;
    }
}
