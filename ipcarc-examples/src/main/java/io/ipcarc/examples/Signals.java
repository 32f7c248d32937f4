package io.ipcarc.examples;

import java.lang.reflect.Proxy;

/**
 * Turns SIGINT and SIGTERM into a flag the main loop polls, so the apps stop cleanly (flush,
 * store positions, close) and exit 0 instead of being torn down by the JVM's default handler.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported) through reflection.
 */
final class Signals {
    private static volatile boolean stopRequested;
    private static volatile boolean exitAtOnce;

    private Signals() {
    }

    /** Installs the handlers; a second signal of the same kind ends the process at once. */
    static void install() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            if (stopRequested) {
                                Runtime.getRuntime().halt(130);
                            }
                            stopRequested = true;
                            if (exitAtOnce) {
                                System.exit(0); // nothing to save yet; shutdown hooks close the handles
                            }
                        }
                        return null;
                    });
            for (String name : new String[] {"INT", "TERM"}) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                signal.getMethod("handle", signal, handlerType).invoke(null, sig, handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("warning: cannot install signal handlers, stopping on SIGTERM will not be clean: " + e);
        }
    }

    /**
     * Chooses what SIGINT and SIGTERM do from now on.
     *
     * @param atOnce whether a signal ends the process at once (while it holds nothing to save,
     *     for example while it waits for a segment to appear) instead of setting the flag
     */
    static void exitAtOnce(boolean atOnce) {
        exitAtOnce = atOnce;
        if (atOnce && stopRequested) {
            System.exit(0);
        }
    }

    /**
     * Returns true once SIGINT or SIGTERM arrived.
     *
     * @return true once SIGINT or SIGTERM arrived
     */
    static boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Returns true until SIGINT or SIGTERM arrives.
     *
     * @return true until SIGINT or SIGTERM arrives
     */
    static boolean running() {
        return !stopRequested;
    }
}
