/**
 * Micrometer metrics of IpcArc: {@link io.ipcarc.micrometer.IpcArcMetrics} for a segment,
 * {@link io.ipcarc.micrometer.RingMetrics} for a ring, {@link io.ipcarc.micrometer.IpcMapMetrics}
 * for a map. micrometer-core names itself {@code micrometer.core} in its manifest
 * (Automatic-Module-Name), a stable name to require.
 */
module io.ipcarc.micrometer {
    requires transitive io.ipcarc;
    requires transitive io.ipcarc.ring;
    requires transitive io.ipcarc.map;
    requires transitive micrometer.core;

    exports io.ipcarc.micrometer;
}
