package io.ipcarc.testing;

import static java.util.Map.entry;

import java.util.Map;

/**
 * The program the cross-process tests start in separate JVMs: {@code Child COMMAND NAME ARGS...}
 * runs one command on segment NAME and prints one line per event, so that the test can wait for
 * it. The commands live by theme: {@link LockingChild}, {@link LifecycleChild},
 * {@link ChurnChild}, {@link ValueChild}, {@link ChangeChild}, and the kinds, names, virtual
 * threads and leak children.
 */
public final class Child {
    /** One command; {@code args[0]} is its name, {@code args[1]} the segment name, then its own arguments. */
    @FunctionalInterface
    private interface Command {
        void run(String[] args);
    }

    private static final Map<String, Command> COMMANDS = Map.ofEntries(
            entry("increment", LockingChild::increment),
            entry("hold", LockingChild::hold),
            entry("acquire-report", LockingChild::acquireReport),
            entry("commit-loop", LockingChild::commitLoop),
            entry("ns-worker", LockingChild::nsWorker),
            entry("virtual", LockingChild::virtual),
            entry("load-close", LifecycleChild::loadClose),
            entry("load-wait", LifecycleChild::loadWait),
            entry("load-exit", LifecycleChild::loadExit),
            entry("try-load", LifecycleChild::tryLoad),
            entry("open-or-create", LifecycleChild::openOrCreate),
            entry("create-stall", LifecycleChild::createStall),
            entry("create-wait", LifecycleChild::createWait),
            entry("hold-truncated", LifecycleChild::holdTruncated),
            entry("churn-create", ChurnChild::create),
            entry("churn-load", ChurnChild::load),
            entry("write-sample", ValueChild::writeSample),
            entry("read-sample", ValueChild::readSample),
            entry("read-once", ValueChild::readOnce),
            entry("read-on-demand", ValueChild::readOnDemand),
            entry("rewrite-triple", ValueChild::rewriteTriple),
            entry("read-triple", ValueChild::readTriple),
            entry("await-changes", ChangeChild::awaitChanges),
            entry("await-in-daemon", ChangeChild::awaitInDaemon),
            entry("fleet-read-set", args -> KindsChild.run(args[0], args[1])),
            entry("position-read", args -> KindsChild.run(args[0], args[1])),
            entry("quote-commit-loop", args -> KindsChild.run(args[0], args[1])),
            entry("names-and-sizes", args -> NamesAndSizes.run(args[1])),
            entry("virtual-many", args -> VirtualThreads.run(args[1])),
            entry("leak", args -> Leak.run(args[1])));

    private Child() {
    }

    /**
     * Runs one command in this child JVM; the parent reads what it prints.
     *
     * @param args a command and its arguments
     */
    public static void main(String[] args) {
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            throw new IllegalArgumentException("unknown command: " + args[0]);
        }
        command.run(args);
        System.out.flush();
    }
}
