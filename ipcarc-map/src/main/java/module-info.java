/**
 * IpcMap: many typed keys and values in one shared-memory segment. Built on the IpcArc API alone;
 * an implementation (ipcarc-posix) must be on the path at run time.
 */
module io.ipcarc.map {
    requires transitive io.ipcarc;

    exports io.ipcarc.map;

    provides io.ipcarc.spi.PayloadFormatter with io.ipcarc.map.MapPayloadFormatter;
}
