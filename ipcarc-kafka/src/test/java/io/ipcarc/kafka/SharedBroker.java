package io.ipcarc.kafka;

import io.ipcarc.kafka.broker.LocalKafkaBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real broker for every test class of this module that does not need a broker of its own
 * ({@code @ExtendWith(SharedBroker.class)}): started before the first such class, closed (killed,
 * its log directory deleted) when the test run ends, also after a failure. Its start is the
 * fixed cost of these tests (5 s on a quiet machine, 15-60 s on a loaded one), so it is paid
 * once. A test that stops the broker restarts it before it ends, in a finally block.
 */
final class SharedBroker implements BeforeAllCallback {
    private static LocalKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedBroker.class, k -> {
            broker = LocalKafkaBroker.start(Path.of("target"));
            System.out.println("shared broker started in " + broker.lastStartup().toMillis() + " ms: " + broker);
            return (ExtensionContext.Store.CloseableResource) () -> broker.close();
        });
    }

    /** @return the broker, started by {@link #beforeAll} */
    static LocalKafkaBroker broker() {
        return broker;
    }
}
