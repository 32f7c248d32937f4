package io.ipcarc.bench.xproc;

/**
 * The busy-wait every transport in the throughput runs uses, so the comparison is fair: spin
 * briefly, then yield the core (5 busy processes share 2 cores in the 4-reader runs).
 */
final class Idle {
    private Idle() {
    }

    static void idle(int rounds) {
        if (rounds < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
