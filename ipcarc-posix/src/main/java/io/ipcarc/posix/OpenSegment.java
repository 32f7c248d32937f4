package io.ipcarc.posix;

import io.ipcarc.ShmType;

/**
 * A mapped, validated segment on which this process holds one reference.
 *
 * @param name the normalised name
 * @param type the payload type
 * @param memory the mapping
 * @param header a view of the whole mapping
 * @param payloadOffset where the payload starts
 * @param payloadSize payload bytes
 * @param inode the object's inode, to recognise it by name later
 * @param created whether this process created it
 */
record OpenSegment(String name, ShmType<?> type, MappedMemory memory, MemoryView header, int payloadOffset,
                   int payloadSize, long inode, boolean created) {
}
