import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes segments to look at with the ipcarc tool (docs/operations.md). Run it from source with
 * the tool's jar, which contains the library:
 * <pre>
 *   java -cp ipcarc-cli/target/ipcarc.jar docs/examples/Segments.java create /orders 41
 * </pre>
 * Every command keeps its handle and stays alive until it is killed.
 */
public final class Segments {
    /** A record the tool does not have: it decodes it from the stored descriptor alone. */
    record Point(int x, double y) {
    }

    /** @param args a command and its arguments, see the class comment */
    public static void main(String[] args) {
        String name = args[1];
        IpcArc<?> arc = switch (args[0]) {
            case "create" -> IpcArc.create(name, Long.parseLong(args[2]));
            case "point" -> IpcArc.create(name, new Point(Integer.parseInt(args[2]), Double.parseDouble(args[3])));
            case "load" -> IpcArc.load(name);
            case "hold" -> {
                IpcArc<Long> held = IpcArc.load(name, Long.class);
                Guard<Long> g = held.acquire();
                g.set(g.get() + 1);
                System.out.println("holding the lock of " + name + ", value now " + g.get());
                yield held;
            }
            default -> throw new IllegalArgumentException("commands: create NAME LONG | point NAME X Y | load NAME | hold NAME");
        };
        System.out.println(args[0] + " " + name + ": pid " + ProcessHandle.current().pid() + ", refCount " + arc.refCount());
        while (true) {
            LockSupport.park();
        }
    }
}
