package io.ipcarc;

import io.ipcarc.spi.IpcArcProvider;
import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the implementation once, through {@link ServiceLoader}. */
final class ProviderHolder {
    private static volatile IpcArcProvider provider;

    private ProviderHolder() {
    }

    static IpcArcProvider provider() {
        IpcArcProvider p = provider;
        if (p == null) {
            synchronized (ProviderHolder.class) {
                p = provider;
                if (p == null) {
                    p = find();
                    provider = p;
                }
            }
        }
        return p;
    }

    private static IpcArcProvider find() {
        Iterator<IpcArcProvider> it = ServiceLoader.load(IpcArcProvider.class, IpcArc.class.getClassLoader()).iterator();
        if (!it.hasNext()) {
            it = ServiceLoader.load(IpcArcProvider.class).iterator();
        }
        if (!it.hasNext()) {
            throw new IpcArcException("no IpcArc implementation found: add the dependency io.ipcarc:ipcarc-posix"
                    + " to the classpath (service=" + IpcArcProvider.class.getName() + ")", null);
        }
        return it.next();
    }
}
