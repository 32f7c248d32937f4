package io.ipcarc.posix.segment;

import java.nio.charset.StandardCharsets;
import io.ipcarc.posix.memory.MemoryView;
import io.ipcarc.posix.memory.Scratch;
import io.ipcarc.posix.sys.Binding;
import io.ipcarc.posix.sys.Linux;

/** Which C library this process's mutexes come from, as recorded in every segment it creates. */
public final class CLibrary {
    /** For example {@code glibc 2.36}; {@code unknown} when the library does not say (not glibc). */
    public static final String NAME = read();

    private CLibrary() {
    }

    private static String read() {
        MemoryView buf = Scratch.of(SegmentDescriptor.MUTEX_LIBRARY_BYTES);
        long n = Binding.C.confstr(Linux.CS_GNU_LIBC_VERSION, buf.addressOf(0), SegmentDescriptor.MUTEX_LIBRARY_BYTES);
        if (n <= 1 || n > SegmentDescriptor.MUTEX_LIBRARY_BYTES) {
            return "unknown";
        }
        byte[] b = new byte[(int) n - 1];
        buf.getBytes(0, b, 0, b.length);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
