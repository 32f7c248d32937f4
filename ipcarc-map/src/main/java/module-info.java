/**
 * The IpcArc map: many typed keys and values in one segment, lock-free reads, crash-atomic writes
 * under striped robust locks. Built on the IpcArc API alone; an implementation (ipcarc-posix) must
 * be on the path at run time. Records and enums used as keys or values are read by
 * {@code io.ipcarc}: their module exports (or opens) their package to it, as for any segment.
 */
module io.ipcarc.map {
    requires transitive io.ipcarc;

    exports io.ipcarc.map;

    provides io.ipcarc.spi.PayloadFormatter with io.ipcarc.map.MapPayloadFormatter;
}
