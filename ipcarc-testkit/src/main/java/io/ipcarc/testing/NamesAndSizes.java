package io.ipcarc.testing;

import io.ipcarc.ArcOptions;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * The child side of the names-and-sizes test, run under several locales: each check prints
 * {@code CHECK id outcome}, where the outcome is {@code ok} or the exception's class, so that the
 * test can compare locales line by line. Every segment it makes is unlinked before it returns.
 */
final class NamesAndSizes {
    private NamesAndSizes() {
    }

    static void run(String prefix) {
        System.out.println("ENCODING " + System.getProperty("sun.jnu.encoding"));
        check("non-portable-name", () -> IpcArc.create(prefix + "-caf\u00e9", 1L));
        check("lone-surrogate", () -> IpcArc.create(prefix + "-a\ud800b", 1L));
        check("question-mark", () -> IpcArc.create(prefix + "-caf?", 1L));
        check("portable-name", () -> {
            String name = prefix + "-Ok.name_1-x";
            try (IpcArc<Long> a = IpcArc.create(name, 1L); IpcArc<Long> b = IpcArc.load(name, Long.class)) {
                if (!Files.exists(ShmNames.file(name)) || b.read() != 1L) {
                    throw new IllegalStateException("not the same file: " + ShmNames.file(name));
                }
            }
            return Files.exists(ShmNames.file(name)) ? "left behind" : null;
        });
        check("descriptor-20000-bytes", () -> IpcArc.create(prefix + "-long-desc", ShmType.bytes("t".repeat(20_000), 8), null));
        check("array-max-int", () -> ShmType.of(Records.Huge.class));
        check("bytes-max-int", () -> ShmType.bytes(Integer.MAX_VALUE));
        check("bytes-max-size", () -> IpcArc.create(prefix + "-huge", ShmType.bytes(ShmLayout.MAX_SIZE), null));
        System.out.println("CHECK huge-left-behind " + Files.exists(ShmNames.file(prefix + "-huge")));
        check("crafted-descriptor", () -> crafted(prefix + "-crafted"));
        System.out.println("DONE");
    }

    /** A segment whose descriptor is rewritten to {@code i64[999999999]} (fingerprint fixed too), then loaded. */
    private static Object crafted(String name) {
        try (IpcArc<byte[]> arc = IpcArc.create(name, ShmType.bytes(8), null,
                ArcOptions.defaults().withPayloadMode(ArcOptions.PayloadMode.RAW))) {
            byte[] desc = "i64[999999999]".getBytes(StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, ShmLayout.fingerprint("i64[999999999]")), 16);
                ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, desc.length), 44);
                ch.write(ByteBuffer.wrap(desc), 4480);
            }
            return IpcArc.load(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(String id, Supplier<Object> action) {
        String outcome;
        try {
            Object result = action.get();
            if (result instanceof AutoCloseable c) {
                c.close();
            }
            outcome = result instanceof String s ? s : "ok";
        } catch (Exception e) {
            outcome = e.getClass().getSimpleName() + (e.getMessage() != null && e.getMessage().contains(" ") ? "" : " no-message");
        }
        System.out.println("CHECK " + id + " " + outcome);
    }
}
