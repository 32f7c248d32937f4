package io.ipcarc.examples;

import io.ipcarc.SharedView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * A reporter's output: {@code DIR/output_ID.csv} and, beside it, {@code DIR/output_ID.ring}
 * naming the ring the lines came from ({@code ring=<16 hex digits> segment=<name>}).
 *
 * <p>On open it reconciles the file with what a killed reporter may have left: a partial last
 * line is cut off, and {@link #lastSeq()} tells the last sequence fully written, so the reporter
 * resumes right after it (exactly once). A CSV from another ring is renamed aside, never
 * deleted, and a new one started.
 */
final class CsvOutput implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final Path csv;
    private final FileChannel channel;
    private final byte[] bytes = new byte[BUFFER];
    private final ByteBuffer wrap = ByteBuffer.wrap(bytes);
    private int used;
    private final long lastSeq;
    private final String movedAside;

    private CsvOutput(Path csv, FileChannel channel, long lastSeq, String movedAside) {
        this.csv = csv;
        this.channel = channel;
        this.lastSeq = lastSeq;
        this.movedAside = movedAside;
    }

    static Path csvPath(Path dir, int id) {
        return dir.resolve("output_" + id + ".csv");
    }

    static Path ringPath(Path dir, int id) {
        return dir.resolve("output_" + id + ".ring");
    }

    /**
     * Opens (and reconciles) or creates the output of reader {@code id} for ring {@code ringId}.
     */
    static CsvOutput open(Path dir, int id, long ringId, String segment) {
        try {
            Files.createDirectories(dir);
            Path csv = csvPath(dir, id);
            Path meta = ringPath(dir, id);
            String ringHex = HexFormat.of().toHexDigits(ringId);
            String moved = null;
            if (Files.exists(csv)) {
                String previous = readRing(meta);
                if (!ringHex.equals(previous)) {
                    String tag = (previous == null ? "unknown" : previous) + "-" + System.currentTimeMillis();
                    Path asideCsv = dir.resolve("output_" + id + ".ring-" + tag + ".csv");
                    Files.move(csv, asideCsv, StandardCopyOption.ATOMIC_MOVE);
                    if (Files.exists(meta)) {
                        Files.move(meta, dir.resolve("output_" + id + ".ring-" + tag + ".ring"), StandardCopyOption.ATOMIC_MOVE);
                    }
                    moved = asideCsv.toString();
                }
            }
            if (!Files.exists(csv)) {
                Path tmp = dir.resolve("output_" + id + ".ring.tmp");
                Files.writeString(tmp, "ring=" + ringHex + " segment=" + segment + "\n");
                Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                FileChannel ch = FileChannel.open(csv, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ch.write(ByteBuffer.wrap((Tick.CSV_HEADER + "\n").getBytes(StandardCharsets.US_ASCII)));
                return new CsvOutput(csv, ch, -1, moved);
            }
            FileChannel ch = FileChannel.open(csv, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long last = reconcile(ch, csv);
            ch.position(ch.size());
            return new CsvOutput(csv, ch, last, moved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output: dir=" + dir + ", id=" + id, e);
        }
    }

    private static String readRing(Path meta) throws IOException {
        if (!Files.exists(meta)) {
            return null;
        }
        String s = Files.readString(meta).trim();
        if (!s.startsWith("ring=")) {
            return null;
        }
        int sp = s.indexOf(' ');
        return s.substring(5, sp < 0 ? s.length() : sp);
    }

    /** Cuts a partial last line and returns the last complete line's seq, or -1 if none. */
    private static long reconcile(FileChannel ch, Path csv) throws IOException {
        long size = ch.size();
        if (size == 0) {
            ch.write(ByteBuffer.wrap((Tick.CSV_HEADER + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return -1;
        }
        int tail = (int) Math.min(size, 4096);
        ByteBuffer b = ByteBuffer.allocate(tail);
        ch.read(b, size - tail);
        byte[] t = b.array();
        int lastNewline = -1;
        for (int i = tail - 1; i >= 0; i--) {
            if (t[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            if (size > tail) {
                throw new IOException("no line end in the last 4096 bytes: file=" + csv);
            }
            // not even a complete header: start the file again
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((Tick.CSV_HEADER + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return -1;
        }
        long complete = size - tail + lastNewline + 1;
        if (complete < size) {
            ch.truncate(complete);
            System.err.println("output: cut a partial last line: file=" + csv + ", bytes=" + (size - complete));
        }
        int start = lastNewline - 1;
        while (start >= 0 && t[start] != '\n') {
            start--;
        }
        String line = new String(t, start + 1, lastNewline - start - 1, StandardCharsets.US_ASCII);
        if (line.equals(Tick.CSV_HEADER)) {
            return -1;
        }
        int comma = line.indexOf(',');
        try {
            return Long.parseLong(comma < 0 ? line : line.substring(0, comma));
        } catch (NumberFormatException e) {
            throw new IOException("last line does not start with a sequence: file=" + csv + ", line=" + line);
        }
    }

    /**
     * Returns the last sequence fully written before this open, or -1.
     *
     * @return the last sequence fully written before this open, or -1
     */
    long lastSeq() {
        return lastSeq;
    }

    /**
     * Returns where an output from another ring was moved, or null.
     *
     * @return where an output from another ring was moved, or null
     */
    String movedAside() {
        return movedAside;
    }

    Path path() {
        return csv;
    }

    /**
     * Appends the CSV line of a tick entry (buffered), checking the entry on the way.
     *
     * @return whether the entry is consistent with its sequence (its line is appended either way)
     */
    boolean append(SharedView entry, long seq) {
        if (BUFFER - used < Tick.MAX_LINE) {
            flush();
        }
        int end = Tick.formatCsv(entry, seq, bytes, used);
        used = end < 0 ? ~end : end;
        return end >= 0;
    }

    /** Writes the buffered lines to the file. */
    void flush() {
        if (used == 0) {
            return;
        }
        wrap.clear().limit(used);
        try {
            while (wrap.hasRemaining()) {
                channel.write(wrap);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write output: file=" + csv, e);
        }
        used = 0;
    }

    @Override
    public void close() {
        flush();
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close output: file=" + csv, e);
        }
    }
}
