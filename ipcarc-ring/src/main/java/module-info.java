/**
 * The IpcArc ring: one writer, up to 64 crash-safe readers, over one segment. Built on the
 * IpcArc API alone; an implementation (ipcarc-posix) must be on the path at run time.
 */
module io.ipcarc.ring {
    requires transitive io.ipcarc;
    // The JFR events of the slow paths (io.ipcarc.ring.events): a lapped reader, a blocked writer.
    requires jdk.jfr;

    exports io.ipcarc.ring;

    provides io.ipcarc.spi.PayloadFormatter with io.ipcarc.ring.RingPayloadFormatter;
}
