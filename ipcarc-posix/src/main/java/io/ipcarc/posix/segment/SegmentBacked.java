package io.ipcarc.posix.segment;

/**
 * What a handle of this provider is backed by: implemented by the provider's {@code IpcArc}, so
 * that the supported probe ({@code io.ipcarc.posix.probe}) reaches a handle's segment without
 * reflection. The package is not exported: only the provider's own packages see this type.
 */
public interface SegmentBacked {
    /**
     * Returns this handle's reference to its segment.
     *
     * @return this handle's reference to its segment
     */
    SegmentHandle segmentHandle();
}
