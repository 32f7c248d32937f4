/**
 * The IpcArc API: named, typed values in shared memory under a process-shared lock. An
 * implementation (ipcarc-posix) provides {@link io.ipcarc.spi.IpcArcProvider}; payload
 * formatters for {@code ipcarc inspect} (ipcarc-ring's) provide
 * {@link io.ipcarc.spi.PayloadFormatter}.
 *
 * <p>On the module path, a module that shares records or enums of its own must let this module
 * reach them: {@code exports its.package to io.ipcarc} (or an unqualified export) for public
 * types, {@code opens its.package to io.ipcarc} for types that are not public.
 */
module io.ipcarc {
    exports io.ipcarc;
    exports io.ipcarc.spi;

    uses io.ipcarc.spi.IpcArcProvider;
    uses io.ipcarc.spi.PayloadFormatter;
}
