// An application module for ModulePathTest: compiled and run by the test, on the module path.
module io.ipcarc.modapp {
    requires io.ipcarc.ring;

    // IpcArc reads and builds this module's records, which are not public.
    opens io.ipcarc.modapp to io.ipcarc;
}
