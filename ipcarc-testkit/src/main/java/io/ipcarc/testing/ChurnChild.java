package io.ipcarc.testing;

import io.ipcarc.IpcArc;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two sides of the create/load race of one name, as {@link Child} commands: one process
 * creates and closes the name over and over, another loads it over and over and checks that each
 * handle is to the object the name refers to.
 */
final class ChurnChild {
    private ChurnChild() {
    }

    /**
     * {@code churn-create NAME GO_FILE STOP_FILE}: creates and closes the same name over and over,
     * each time with a new value, from when the go file appears until the stop file does (at most 60 s).
     */
    static void create(String[] args) {
        String name = args[1];
        Path stop = Path.of(args[3]);
        System.out.println("READY");
        System.out.flush();
        ChildIo.spinUntilExists(Path.of(args[2]));
        long base = ProcessHandle.current().pid() << 32;
        long deadline = System.nanoTime() + 60_000_000_000L;
        int created = 0;
        for (int i = 0; !Files.exists(stop) && System.nanoTime() < deadline; i++) {
            try (IpcArc<Long> arc = IpcArc.create(name, base + i)) {
                created++;
                for (int spin = (i % 64) * 200; spin > 0; spin--) {
                    Thread.onSpinWait(); // hold it a varying moment: the loader's window
                }
            } catch (SegmentExistsException e) {
                Thread.onSpinWait(); // the loader holds it: try again
            }
        }
        System.out.println("DONE created=" + created);
    }

    /**
     * {@code churn-load NAME N VALUE_OFFSET GO_FILE}: loads in a loop; a handle must always be to
     * the segment the name refers to (its value equals the one at VALUE_OFFSET of the file). A
     * failed load takes microseconds, so a fixed count could end before the creator's first
     * create: goes on until both outcomes were seen often enough (bounded by 45 s, inside the
     * test's 60 s wait).
     */
    static void load(String[] args) {
        String name = args[1];
        int n = Integer.parseInt(args[2]);
        int valueOffset = Integer.parseInt(args[3]);
        int enough = 50;
        long deadline = System.nanoTime() + 45_000_000_000L;
        Path file = Path.of("/dev/shm", name.substring(1));
        System.out.println("READY");
        System.out.flush();
        ChildIo.spinUntilExists(Path.of(args[4]));
        int loaded = 0;
        int notFound = 0;
        int violations = 0;
        for (int i = 0; (i < n || loaded < enough || notFound < enough) && System.nanoTime() < deadline; i++) {
            try (IpcArc<Long> arc = IpcArc.load(name, Long.class)) {
                long mine = arc.read();
                long onDisk = valueOnDisk(file, valueOffset);
                if (onDisk != mine || arc.refCount() < 1) {
                    violations++;
                    System.out.println("VIOLATION mine=" + mine + " onDisk=" + onDisk);
                }
                loaded++;
            } catch (SegmentNotFoundException e) {
                notFound++;
            }
        }
        System.out.println("DONE loaded=" + loaded + " notFound=" + notFound + " violations=" + violations);
    }

    /** The native-order long at {@code offset} of the file, or -1 if it cannot be read. */
    private static long valueOnDisk(Path file, int offset) {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            ch.read(b, offset);
            return b.getLong(0);
        } catch (IOException e) {
            return -1;
        }
    }
}
