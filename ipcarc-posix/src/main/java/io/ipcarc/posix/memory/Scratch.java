package io.ipcarc.posix.memory;

import io.ipcarc.posix.sys.Binding;

/** Native memory for the arguments of foreign calls (a timespec, a struct stat), always in scope. */
public final class Scratch {
    /** The lifetime of scratch memory: always alive. */
    public static final Scope ALWAYS = new Scope() {
        @Override
        public RuntimeException closedError() {
            throw new AssertionError("scratch memory is never closed");
        }
    };

    private Scratch() {
    }

    /**
     * @param size bytes
     * @return a checked view of new zero-filled native memory, freed when it becomes unreachable
     */
    public static MemoryView of(int size) {
        return new MemoryView(Binding.CURRENT.allocate(size), 0, size, ALWAYS);
    }
}
