package io.ipcarc.posix;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import io.ipcarc.posix.sys.Binding;

/**
 * A JVM that uses the library as an application would (create, load, lock, await a change,
 * read, close) and then names the binding it used: {@code binding=jnr} or {@code binding=ffm},
 * then {@code DONE}. Started by the binding tests with various {@code -Dipcarc.native} values.
 */
public final class BindingChild {
    private BindingChild() {
    }

    /**
     * @param args the segment name
     * @throws InterruptedException never (the waits are bounded)
     */
    public static void main(String[] args) throws InterruptedException {
        String name = args[0];
        try (IpcArc<Long> created = IpcArc.create(name, 1L);
             IpcArc<Long> loaded = IpcArc.load(name, Long.class)) {
            long before = loaded.version();
            AtomicLong seen = new AtomicLong(-1);
            CountDownLatch started = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                started.countDown();
                try {
                    seen.set(loaded.awaitChange(before, Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            started.await();
            try (Guard<Long> g = created.acquire()) {
                g.set(g.get() + 1);
            }
            waiter.join(30_000);
            if (seen.get() == before || loaded.read() != 2L) {
                System.out.println("FAILED version=" + seen.get() + ", value=" + loaded.read());
                System.exit(1);
            }
        }
        System.out.println("binding=" + Binding.CURRENT.name());
        System.out.println("DONE");
    }
}
