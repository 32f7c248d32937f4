package io.ipcarc.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code verify [--complete N] FILE...}: checks reporter CSVs: each sequence at most once and
 * increasing, every field consistent with its seq, no partial line, and identical lines for the
 * same seq across files. With {@code --complete N} every file must hold exactly 0..N-1.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks reporter CSVs: each seq at most once and in order, and the files consistent.",
            "Each seq at most once and increasing, fields consistent with the seq, no partial line, identical lines for"
                + " the same seq across files."})
final class VerifyApp implements Callable<Integer> {
    private static final int MAX_REPORTED = 20;

    @Option(names = "--complete", paramLabel = "N", description = "Require exactly seq 0..N-1 in every file.")
    long complete = -1;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Reporter CSV files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    /** The outcome of a verification. */
    record Result(long faults, List<String> summary) {
        boolean ok() {
            return faults == 0;
        }
    }

    @Override
    public Integer call() {
        if (complete < -1) {
            throw Main.usage(spec, "--complete must not be negative: complete=" + complete);
        }
        Result r = verify(files, complete, System.out);
        r.summary().forEach(System.out::println);
        System.out.println(r.ok() ? "verify: OK" : "verify: FAILED, faults=" + r.faults());
        return r.ok() ? Main.OK : Main.FAILED;
    }

    private static final class Cursor implements AutoCloseable {
        final Path path;
        final BufferedReader in;
        long lineNo = 1;
        long seq = -1;
        String line;
        long previous = -1;
        long lines;
        long first = -1;
        long gaps;
        long faults;
        boolean partialTail;

        Cursor(Path path) throws IOException {
            this.path = path;
            this.in = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
            String header = in.readLine();
            if (!Tick.CSV_HEADER.equals(header)) {
                throw new IOException("missing header line: file=" + path + ", first=" + header);
            }
            long size = Files.size(path);
            if (size > 0) {
                try (var ch = java.nio.channels.FileChannel.open(path)) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                    ch.read(b, size - 1);
                    partialTail = b.get(0) != '\n';
                }
            }
        }

        /**
         * Returns false at end of file.
         *
         * @return false at end of file
         */
        boolean advance(PrintStream err) throws IOException {
            String l = in.readLine();
            lineNo++;
            if (l == null) {
                line = null;
                return false;
            }
            line = l;
            int comma = l.indexOf(',');
            try {
                seq = Long.parseLong(comma < 0 ? l : l.substring(0, comma));
            } catch (NumberFormatException e) {
                fault(err, "not a sequence at the start of the line: " + l);
                return advance(err);
            }
            lines++;
            if (first < 0) {
                first = seq;
            }
            if (seq <= previous) {
                fault(err, "sequence not increasing (duplicate or out of order): seq=" + seq + " after " + previous);
            } else if (previous >= 0 && seq != previous + 1) {
                gaps++;
            }
            previous = Math.max(previous, seq);
            int second = comma < 0 ? -1 : l.indexOf(',', comma + 1);
            if (second < 0) {
                fault(err, "expected 5 fields: " + l);
            } else {
                try {
                    String expected = Tick.expectedLine(seq, Long.parseLong(l, comma + 1, second, 10));
                    if (!expected.equals(l)) {
                        fault(err, "fields do not match seq (torn or mixed entry): " + l + " expected " + expected);
                    }
                } catch (NumberFormatException e) {
                    fault(err, "bad timestamp: " + l);
                }
            }
            return true;
        }

        void fault(PrintStream err, String what) {
            faults++;
            if (faults <= MAX_REPORTED) {
                err.println("verify: " + path.getFileName() + ":" + lineNo + ": " + what);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static Result verify(List<Path> files, long complete, PrintStream err) {
        List<String> summary = new ArrayList<>();
        long faults = 0;
        List<Cursor> cursors = new ArrayList<>();
        try {
            for (Path p : files) {
                cursors.add(new Cursor(p));
            }
            List<Cursor> live = new ArrayList<>();
            for (Cursor c : cursors) {
                if (c.advance(err)) {
                    live.add(c);
                }
            }
            long mismatches = 0;
            long seqs = 0;
            while (!live.isEmpty()) {
                long min = Long.MAX_VALUE;
                for (Cursor c : live) {
                    min = Math.min(min, c.seq);
                }
                String reference = null;
                seqs++;
                List<Cursor> next = new ArrayList<>();
                for (Cursor c : live) {
                    if (c.seq == min) {
                        if (reference == null) {
                            reference = c.line;
                        } else if (!reference.equals(c.line)) {
                            mismatches++;
                            if (mismatches <= MAX_REPORTED) {
                                err.println("verify: lines differ for seq=" + min + ": " + reference + " vs " + c.path.getFileName()
                                        + ": " + c.line);
                            }
                        }
                        if (c.advance(err)) {
                            next.add(c);
                        }
                    } else {
                        next.add(c);
                    }
                }
                live = next;
            }
            for (Cursor c : cursors) {
                if (c.partialTail) {
                    c.fault(err, "partial last line (no newline at the end)");
                }
                if (complete >= 0 && (c.lines != complete || (complete > 0 && (c.first != 0 || c.previous != complete - 1)))) {
                    c.fault(err, "expected exactly seq 0.." + (complete - 1) + ": lines=" + c.lines + ", first=" + c.first
                            + ", last=" + c.previous);
                }
                summary.add(String.format("verify: %s: %d lines, seq %d..%d, gaps %d, faults %d", c.path, c.lines, c.first,
                        c.previous, c.gaps, c.faults));
                faults += c.faults;
            }
            if (cursors.size() > 1) {
                summary.add(String.format("verify: across %d files: %d distinct seqs, %d lines differ", cursors.size(), seqs, mismatches));
            }
            faults += mismatches;
        } catch (IOException e) {
            summary.add("verify: cannot read: " + e.getMessage());
            faults++;
        } finally {
            for (Cursor c : cursors) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // reading is done
                }
            }
        }
        return new Result(faults, summary);
    }
}
