/**
 * The quick start sample as a module. IpcArc reads and builds the sample's records ({@code Tick}
 * is package-private), so the package is opened to the API module; the implementation,
 * io.ipcarc.posix, is found as a provider of the API's service and needs no {@code requires}.
 */
module io.ipcarc.samples.quickstart {
    requires io.ipcarc.ring;

    opens io.ipcarc.samples.quickstart to io.ipcarc;
}
