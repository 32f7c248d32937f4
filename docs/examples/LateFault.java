import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shows, without IpcArc, where HotSpot reports a fault of compiled code on a truncated mapping.
 * A thread calls {@link #read} (a "library method" that catches InternalError) in a loop; another
 * truncates the file under it. Run: {@code java docs/examples/LateFault.java [runs]}.
 * Prints, per run, whether the fault surfaced inside read()'s catch or escaped into the caller.
 */
public class LateFault {
    static final AtomicBoolean STOP = new AtomicBoolean();
    static volatile long caught;

    /** The library: a load of the mapping, with the fault caught and reported as its own error. */
    static long read(MappedByteBuffer b) {
        try {
            return b.getLong(4096);
        } catch (InternalError e) {
            caught++;
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int escaped = 0;
        for (int run = 0; run < runs; run++) {
            Path p = Files.createTempFile(Path.of("/dev/shm"), "latefault", "");
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.truncate(8192);
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8192);
                STOP.set(false);
                caught = 0;
                String[] outcome = {"no fault reported"};
                Thread t = new Thread(() -> {
                    long sum = 0;
                    while (!STOP.get()) {
                        sum += read(b); // the caller's code
                    }
                    outcome[0] = caught > 0 ? "caught inside read()" : "no fault reported";
                });
                t.setUncaughtExceptionHandler((th, e) -> outcome[0] = "ESCAPED into the caller: " + e);
                t.start();
                Thread.sleep(1000);   // let the JIT compile the loop
                ch.truncate(4096);    // as another process would
                Thread.sleep(500);
                STOP.set(true);
                t.join();
                System.out.println("java " + Runtime.version().feature() + ", run " + run + ": " + outcome[0]);
                if (outcome[0].startsWith("ESCAPED")) {
                    escaped++;
                }
            } finally {
                Files.deleteIfExists(p);
            }
        }
        System.out.println("escaped " + escaped + " of " + runs);
    }
}
