package io.ipcarc.posix;

import static io.ipcarc.ring.RingDescriptor.*;

import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import java.time.Instant;

/**
 * Decodes the header of a ring payload ({@code bytes<ipcarc.ring/1>[N]}, layout in
 * {@link io.ipcarc.ring.RingDescriptor}) into one line: the write pointer, the writer, and each
 * reader's position and lag (how many published entries it has not consumed yet).
 */
final class RingPayloadFormat {
    private RingPayloadFormat() {
    }

    /**
     * @param layout the payload layout
     * @return whether the payload is a ring this class can decode
     */
    static boolean isRing(ShmLayout layout) {
        return layout instanceof ShmLayout.Bytes b && TYPE_TAG.equals(b.tag());
    }

    /**
     * @param p at least the first {@link io.ipcarc.ring.RingDescriptor#ENTRIES_OFFSET} bytes of the payload
     * @return for example {@code ring capacity=1024 write=5230 writer=pid 12 (alive, lossless) readers=[0: pid 13 (alive)
     *     active position=5200 lag=30 lost=0]}
     */
    static String format(SharedView p) {
        if (p.capacity() < ENTRIES_OFFSET || p.getLong(MAGIC_OFFSET) != MAGIC || p.getInt(VERSION_OFFSET) != VERSION) {
            return "ring header not initialised or of another version: magic=0x" + Long.toHexString(p.getLong(MAGIC_OFFSET));
        }
        long write = p.getLong(WRITE_POINTER_OFFSET);
        int writerPid = p.getInt(WRITER_PID_OFFSET);
        StringBuilder sb = new StringBuilder("ring capacity=").append(p.getInt(CAPACITY_OFFSET)).append(" write=").append(write)
                .append(" writer=");
        if (writerPid == 0) {
            sb.append("none");
        } else {
            sb.append(process(writerPid, p.getLong(WRITER_START_OFFSET)))
                    .append((p.getInt(WRITER_FLAGS_OFFSET) & WRITER_LOSSLESS) != 0 ? " lossless" : " lossy");
        }
        sb.append(" readers=[");
        String sep = "";
        for (int i = 0; i < READER_SLOTS; i++) {
            int slot = readerSlot(i);
            int state = p.getInt(slot + READER_STATE);
            if (state == READER_FREE) {
                continue;
            }
            long position = p.getLong(slot + READER_POSITION);
            sb.append(sep).append(i).append(": ").append(state == READER_ACTIVE ? "active " : "detached ")
                    .append(process(p.getInt(slot + READER_PID), p.getLong(slot + READER_START)))
                    .append(" position=").append(position).append(" lag=").append(write - position)
                    .append(" lost=").append(p.getLong(slot + READER_LOST));
            sep = ", ";
        }
        return sb.append(']').toString();
    }

    /** Ring roles record their process's start time in epoch milliseconds (ProcessHandle), not in ticks. */
    private static String process(int pid, long startMillis) {
        boolean alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(-1L) == startMillis;
        return "pid " + pid + (alive ? " (alive)" : " (dead)");
    }
}
