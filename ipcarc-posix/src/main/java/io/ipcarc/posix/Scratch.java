package io.ipcarc.posix;

/** Native memory for the arguments of foreign calls (a timespec, a struct stat), always in scope. */
final class Scratch {
    /** The lifetime of scratch memory: always alive. */
    static final Scope ALWAYS = new Scope() {
        @Override
        RuntimeException closedError() {
            throw new AssertionError("scratch memory is never closed");
        }
    };

    private Scratch() {
    }

    /**
     * @param size bytes
     * @return a checked view of new zero-filled native memory, freed when it becomes unreachable
     */
    static MemoryView of(int size) {
        return new MemoryView(Binding.CURRENT.allocate(size), 0, size, ALWAYS);
    }
}
