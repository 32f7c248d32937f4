package io.ipcarc.bench;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedBuffer;
import io.ipcarc.ShmType;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.types.intptr_t;

/**
 * Same-run ratios on a shared, noisy machine: each round times a batch of {@code acquire()+close()},
 * a batch of C lock+unlock pairs (one call into {@code pair_loop.c}, built by the suite), a batch
 * of {@code getAndAddLong} and a batch of plain off-heap VarHandle {@code getAndAdd}s, one right
 * after the other (with the steps of {@link AcquireStepBenchmarks}, {@code read()}, and a shorter
 * batch of {@code FileChannel.lock()} + release). Batches
 * are short (about a millisecond), so most run without being preempted; the tenth percentile of
 * each operation's per-batch times estimates its cost when the thread has a core, which is what
 * the floors are about. JMH's averages come from separate forks, minutes apart, and include every
 * preemption of a machine shared with other work.
 *
 * <p>Usage (one JVM per JDK, started by {@link BenchSuite}):
 * {@code java -cp ipcarc-bench.jar io.ipcarc.bench.RatioHarness PAIR_LOOP_LIBRARY ROUNDS BATCH}.
 * Prints lines {@code p10 NAME VALUE LOW HIGH}. {@code ... RatioHarness - ROUNDS BATCH string-read}
 * times only the string-read row ({@link StringReadRows}) and its ratio; {@code ... read} only read()
 * of the 3-field record ({@link BindingReadRows}); {@code ... jfr} only acquire + close without
 * and with a JFR recording ({@link JfrBench}).
 */
public final class RatioHarness {
    private static final int WARMUP_ROUNDS = 30;
    private static final VarHandle BUFFER_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** The C loop through jnr-ffi (JDK 17-21). */
    public interface PairLoop {
        /**
         * Returns failed calls.
         *
         * @param mutex the mutex
         * @param n pairs
         * @return failed calls
         */
        long ipcarc_pair_loop(@intptr_t long mutex, long n);
    }

    private RatioHarness() {
    }

    /**
     * Times every operation in interleaved batches and prints the tenth percentiles.
     *
     * @param args the pair-loop library, rounds, batch size
     * @throws Throwable if a call fails
     */
    public static void main(String[] args) throws Throwable {
        int rounds = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        if (args.length > 3 && args[3].equals("string-read")) {
            stringReadOnly(rounds, batch);
            return;
        }
        if (args.length > 3 && args[3].equals("read")) {
            readOnly(rounds, batch);
            return;
        }
        if (args.length > 3 && args[3].equals("jfr")) {
            jfrOnly(rounds, batch);
            return;
        }
        Path library = Path.of(args[0]);
        MethodHandle cLoop = cLoop(library);
        long mutex = MutexCalls.newMutex();
        ByteBuffer plain = ByteBuffer.allocateDirect(64);
        Object segment = OffHeapBaselineBenchmarks.plainSegment();
        MethodHandle segmentAdd = OffHeapBaselineBenchmarks.segmentGetAndAdd();
        String name = BenchNames.next("ratio");
        double[] acquire = new double[rounds];
        double[] cPair = new double[rounds];
        double[] add = new double[rounds];
        double[] plainAdd = new double[rounds];
        double[] read = new double[rounds];
        double[] readString = new double[rounds];
        double[] readLongs = new double[rounds];
        double[] fileLock = new double[rounds];
        Path lockFile = Files.createTempFile("ipcarc-ratio-", ".lock");
        String[] steps = {"pair", "pairWords", "pairWordsGuard"};
        double[][] step = new double[steps.length][rounds];
        AcquireStepBenchmarks ladder = new AcquireStepBenchmarks();
        ladder.setUp();
        try (IpcArc<Long> arc = IpcArc.create(name, 0L);
             IpcArc<Triple> triple = IpcArc.create(name + "-triple", new Triple(1, 2, 3));
             IpcArc<StringReadRows.StringQuote> stringQuote = IpcArc.create(name + "-string",
                     new StringReadRows.StringQuote(1, "SYMBOL-0123456", 2));
             IpcArc<StringReadRows.LongsQuote> longsQuote = IpcArc.create(name + "-longs",
                     new StringReadRows.LongsQuote(1, 0x4f4c4f424d5953L, 0x36353433323130L, 2));
             IpcArc<Long> raw = IpcArc.create(name + "-raw", ShmType.of(Long.class), 0L,
                     ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW));
             FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            SharedBuffer buffer = raw.buffer();
            for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                double a = acquireClose(arc, batch);
                double c = cPairs(cLoop, mutex, batch);
                double g = getAndAdd(buffer, batch);
                double p = segmentAdd != null ? segmentGetAndAdd(segmentAdd, segment, batch) : bufferGetAndAdd(plain, batch);
                double t = readTriple(triple, batch);
                double rs = StringReadRows.readString(stringQuote, batch);
                double rl = StringReadRows.readLongs(longsQuote, batch);
                // A file lock costs hundreds of times an acquire (docs/benchmarks.md, "interleaved: FileChannel.lock()"):
                // a tenth of the batch keeps this batch as short as the others.
                double f = fileChannelLocks(channel, lockFile, Math.max(1, batch / 10));
                double[] st = {pair(ladder, batch), words(ladder, batch), guard(ladder, batch)};
                if (r >= 0) {
                    for (int k = 0; k < steps.length; k++) {
                        step[k][r] = st[k];
                    }
                    read[r] = t;
                    readString[r] = rs;
                    readLongs[r] = rl;
                    fileLock[r] = f;
                    acquire[r] = a;
                    cPair[r] = c;
                    add[r] = g;
                    plainAdd[r] = p;
                }
            }
        } finally {
            ladder.tearDown();
            BenchNames.removeAll(ProcessHandle.current().pid());
            Files.deleteIfExists(lockFile);
        }
        print("acquireClose.ns", acquire);
        print("cPair.ns", cPair);
        print("getAndAddLong.ns", add);
        print("plainGetAndAdd.ns", plainAdd);
        print("readTriple.ns", read);
        print("readString16.ns", readString);
        print("readTwoLongs.ns", readLongs);
        print("fileChannelLock.ns", fileLock);
        for (int k = 0; k < steps.length; k++) {
            print("step." + steps[k] + ".ns", step[k]);
        }
        printRatio("acquireClose/cPair", acquire, cPair);
        printRatio("getAndAddLong/plainGetAndAdd", add, plainAdd);
        printRatio("fileChannelLock/acquireClose", fileLock, acquire);
        printRatio(StringReadRows.RATIO, readString, readLongs);
    }

    /**
     * read() of the 3-field record alone, in this JVM's binding: {@link BindingReadRows} runs it in
     * JVMs of each binding of one JDK, alternately, and compares them.
     */
    private static void readOnly(int rounds, int batch) {
        double[] read = new double[rounds];
        try (IpcArc<Triple> triple = IpcArc.create(BenchNames.next("ratio-read"), new Triple(1, 2, 3))) {
            for (int r = -WARMUP_ROUNDS * 10; r < rounds; r++) {
                double t = readTriple(triple, batch);
                if (r >= 0) {
                    read[r] = t;
                }
            }
        } finally {
            BenchNames.removeAll(ProcessHandle.current().pid());
        }
        print(BindingReadRows.HARNESS_ROW, read);
    }

    /** Batches of {@link #jfrOnly} between a start and a stop of the recording, or without one. */
    static final int JFR_PHASE = 100;

    /**
     * The JFR rows ({@link JfrBench}): acquire + close with no recording and with one running, in
     * alternating phases of {@link #JFR_PHASE} batches, and their ratio. Each phase is paired with
     * the one after it for the per-round ratios.
     */
    private static void jfrOnly(int rounds, int batch) throws IOException {
        String name = BenchNames.next("ratio-jfr");
        int phases = Math.max(1, rounds / JFR_PHASE);
        double[] off = new double[phases * JFR_PHASE];
        double[] on = new double[phases * JFR_PHASE];
        try (IpcArc<Long> arc = IpcArc.create(name, 0L)) {
            for (int r = 0; r < WARMUP_ROUNDS * 10; r++) {
                acquireClose(arc, batch);
            }
            for (int p = 0; p < phases; p++) {
                for (int r = 0; r < JFR_PHASE; r++) {
                    off[p * JFR_PHASE + r] = acquireClose(arc, batch);
                }
                try (jdk.jfr.Recording recording = JfrBench.recording()) {
                    recording.start();
                    for (int r = 0; r < JFR_PHASE; r++) {
                        on[p * JFR_PHASE + r] = acquireClose(arc, batch);
                    }
                    recording.stop();
                }
            }
        } finally {
            BenchNames.removeAll(ProcessHandle.current().pid());
        }
        print("acquireClose.jfrOff.ns", off);
        print("acquireClose.jfrOn.ns", on);
        printRatio("acquireClose.jfrOn/jfrOff", on, off);
    }

    /** The string-read row alone: the two reads in alternating batches, and their ratio. */
    private static void stringReadOnly(int rounds, int batch) {
        String name = BenchNames.next("ratio-string");
        double[] readString = new double[rounds];
        double[] readLongs = new double[rounds];
        try (IpcArc<StringReadRows.StringQuote> stringQuote = IpcArc.create(name + "-string",
                     new StringReadRows.StringQuote(1, "SYMBOL-0123456", 2));
             IpcArc<StringReadRows.LongsQuote> longsQuote = IpcArc.create(name + "-longs",
                     new StringReadRows.LongsQuote(1, 0x4f4c4f424d5953L, 0x36353433323130L, 2))) {
            for (int r = -WARMUP_ROUNDS * 10; r < rounds; r++) {
                double rs = StringReadRows.readString(stringQuote, batch);
                double rl = StringReadRows.readLongs(longsQuote, batch);
                if (r >= 0) {
                    readString[r] = rs;
                    readLongs[r] = rl;
                }
            }
        } finally {
            BenchNames.removeAll(ProcessHandle.current().pid());
        }
        print("readString16.ns", readString);
        print("readTwoLongs.ns", readLongs);
        printRatio(StringReadRows.RATIO, readString, readLongs);
    }

    /**
     * Prints {@code p10 NAME P10 P25 MEDIAN}: the tenth percentile of the per-batch times is the
     * estimate of the cost when the thread is not preempted (a batch that a preemption hits is
     * slower, never faster), with the quartile and median beside it to show the spread.
     */
    private static void print(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(Locale.ROOT, "p10 %s %.4f %.4f %.4f", what, at(sorted, 10), at(sorted, 25), at(sorted, 50)));
    }

    /** Prints the ratio of the two tenth percentiles, then the quartiles of the per-round ratios. */
    private static void printRatio(String what, double[] num, double[] den) {
        double[] n = num.clone();
        double[] d = den.clone();
        double[] r = new double[num.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = num[i] / den[i];
        }
        Arrays.sort(n);
        Arrays.sort(d);
        Arrays.sort(r);
        System.out.println(String.format(Locale.ROOT, "p10 %s %.4f %.4f %.4f", what, at(n, 10) / at(d, 10), at(r, 25), at(r, 75)));
    }

    private static double at(double[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }

    /** The JDK's cross-process lock, as {@code BaselineBenchmarks.fileChannelLock} takes it. */
    private static double fileChannelLocks(FileChannel channel, Path file, int batch) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            BaselineBenchmarks.lockAndRelease(channel, file);
        }
        return (System.nanoTime() - t0) / (double) batch;
    }

    private static double acquireClose(IpcArc<Long> arc, int batch) {
        long t0 = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            arc.acquire().close();
        }
        return (System.nanoTime() - t0) / (double) batch;
    }

    private static double pair(AcquireStepBenchmarks s, int batch) throws Throwable {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += s.pair();
        }
        return check(sum, (System.nanoTime() - t0) / (double) batch);
    }

    private static double words(AcquireStepBenchmarks s, int batch) throws Throwable {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += s.pairWords();
        }
        return check(sum, (System.nanoTime() - t0) / (double) batch);
    }

    private static double guard(AcquireStepBenchmarks s, int batch) throws Throwable {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += s.pairWordsGuard() == null ? 1 : 0;
        }
        return check(sum, (System.nanoTime() - t0) / (double) batch);
    }

    /**
     * Returns {@code ns}, after checking that every call of the batch returned 0 (success).
     *
     * @return {@code ns}, after checking that every call of the batch returned 0 (success)
     */
    private static double check(long sum, double ns) {
        if (sum != 0) {
            throw new IllegalStateException("a step's pthread call failed: failures=" + sum);
        }
        return ns;
    }

    private static double readTriple(IpcArc<Triple> arc, int batch) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += arc.read().c();
        }
        double ns = (System.nanoTime() - t0) / (double) batch;
        return sum == 42 ? ns + 0 : ns;
    }

    private static double cPairs(MethodHandle loop, long mutex, int batch) throws Throwable {
        long t0 = System.nanoTime();
        long failed = (long) loop.invokeExact(mutex, (long) batch);
        double ns = (System.nanoTime() - t0) / (double) batch;
        if (failed != 0) {
            throw new IllegalStateException("C pair loop: failed calls=" + failed);
        }
        return ns;
    }

    private static double getAndAdd(SharedBuffer b, int batch) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += b.getAndAddLong(0, 1);
        }
        double ns = (System.nanoTime() - t0) / (double) batch;
        return sum == 42 ? ns + 0 : ns;
    }

    private static double segmentGetAndAdd(MethodHandle add, Object segment, int batch) throws Throwable {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += (long) add.invokeExact(segment, 0L, 1L);
        }
        double ns = (System.nanoTime() - t0) / (double) batch;
        return sum == 42 ? ns + 0 : ns;
    }

    private static double bufferGetAndAdd(ByteBuffer b, int batch) {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < batch; i++) {
            sum += (long) BUFFER_LONGS.getAndAdd(b, 0, 1L);
        }
        double ns = (System.nanoTime() - t0) / (double) batch;
        return sum == 42 ? ns + 0 : ns;
    }

    /**
     * Returns {@code (long mutex, long n) long} calling the C loop through this JDK's binding.
     *
     * @return {@code (long mutex, long n) long} calling the C loop through this JDK's binding
     */
    private static MethodHandle cLoop(Path library) throws ReflectiveOperationException {
        if (MutexCalls.FFM) {
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Object arena = arenaClass.getMethod("global").invoke(null);
            Object lookup = lookupClass.getMethod("libraryLookup", Path.class, arenaClass).invoke(null, library, arena);
            return FfmMutexBenchmarks.Downcalls.handle(lookup, "ipcarc_pair_loop", false, long.class, long.class, long.class);
        }
        PairLoop loop = LibraryLoader.create(PairLoop.class).load(library.toString());
        return MethodHandles.publicLookup().findVirtual(PairLoop.class, "ipcarc_pair_loop",
                MethodType.methodType(long.class, long.class, long.class)).bindTo(loop);
    }
}
