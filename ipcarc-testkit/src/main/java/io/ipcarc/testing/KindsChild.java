package io.ipcarc.testing;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.testing.other.Copies;

/** The child JVM's side of the tests of strings, enums, arrays of records and {@code @ShmName}. */
final class KindsChild {
    private KindsChild() {
    }

    static void run(String cmd, String name) {
        switch (cmd) {
            case "fleet-read-set" -> {
                try (IpcArc<Records.Fleet> arc = IpcArc.load(name, Records.Fleet.class)) {
                    Records.Fleet read = arc.read();
                    try (Guard<Records.Fleet> g = arc.acquire()) {
                        System.out.println("READ " + read.equals(Records.Fleet.of(1)) + " " + g.get().equals(read) + " " + read);
                        g.set(Records.Fleet.of(2));
                    }
                }
                System.out.println("DONE");
            }
            case "position-read" -> {
                try (IpcArc<Copies.Position> arc = IpcArc.load(name, Copies.Position.class)) {
                    Copies.Position p = arc.read();
                    System.out.println("POSITION " + p.symbol() + " " + p.qty() + " " + p.side());
                }
            }
            case "quote-commit-loop" -> quoteCommitLoop(name);
            default -> throw new IllegalArgumentException("unknown command: " + cmd);
        }
    }

    /** Commits guards that each rewrite the quote many times (strings of every length and shape), forever. */
    private static void quoteCommitLoop(String name) {
        IpcArc<Records.Quote> arc = IpcArc.load(name, Records.Quote.class);
        System.out.println("LOADED");
        for (long i = 1; ; i++) {
            try (Guard<Records.Quote> g = arc.acquire()) {
                for (int pass = 0; pass < 16; pass++) {
                    for (long v = i * 1000 - 999; v <= i * 1000; v++) {
                        g.set(Records.Quote.of(v));
                    }
                }
            }
            System.out.println("COMMITTED " + i);
        }
    }
}
