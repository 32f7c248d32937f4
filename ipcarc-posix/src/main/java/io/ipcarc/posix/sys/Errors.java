package io.ipcarc.posix.sys;

import io.ipcarc.IpcArcException;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;

/** Builds the exceptions for failed system calls, with {@code key=value} messages. */
public final class Errors {
    private Errors() {
    }

    /**
     * @param call the C function, for example {@code shm_open}
     * @param errno the error number
     * @param name the segment
     * @param extra more {@code key=value} pairs, or {@code null}
     * @return the exception to throw: ENOENT and EEXIST get their specific classes
     */
    public static IpcArcException syscall(String call, int errno, String name, String extra) {
        String errnoName = Linux.errnoName(errno);
        String msg = call + " failed: errno=" + errnoName + ", name=" + name + (extra == null ? "" : ", " + extra);
        if (errno == Linux.ENOENT) {
            return new SegmentNotFoundException("segment not found: " + msg, name);
        }
        if (errno == Linux.EEXIST) {
            return new SegmentExistsException("segment exists: " + msg, name);
        }
        return new IpcArcException(msg, name, errno, errnoName, null);
    }
}
