package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArc;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.ShmType;
import io.ipcarc.TypeMismatchException;
import io.ipcarc.launcher.ChildJvm;
import io.ipcarc.testing.Child;
import io.ipcarc.testing.Records;
import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.ipcarc.posix.segment.SegmentDescriptor;

/** Every kind of bad input gets its specific exception, names the segment, and changes nothing. */
class BadInputTest {
    private final ShmNames names = new ShmNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldRejectBadNamesNamingTheRule() {
        assertThatThrownBy(() -> IpcArc.create("", 1L)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> IpcArc.create("/", 1L)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> IpcArc.load("/a/b", Long.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only the POSIX portable filename characters").hasMessageContaining("index=2");
        assertThatThrownBy(() -> IpcArc.load("a\0b", Long.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("portable").hasMessageContaining("U+0000");
        assertThatThrownBy(() -> IpcArc.load("..", Long.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> IpcArc.load("/.", Long.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'.'");
        assertThatThrownBy(() -> IpcArc.load("x".repeat(256), Long.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 255 characters");
        assertThatThrownBy(() -> IpcArc.load(null, Long.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"C, ANSI_X3.4-1968", "C.UTF-8, UTF-8"})
    void shouldRefuseNonPortableNamesAndOversizedTypesTheSameWayUnderEveryLocale(String lang, String encoding) {
        String prefix = names.next("locale");
        try (ChildJvm child = ChildJvm.startAs(List.of("/usr/bin/env", "LANG=" + lang, "LC_ALL=" + lang),
                System.getProperty("java.class.path"), List.of(), Child.class, "names-and-sizes", prefix)) {
            assertThat(child.awaitExit(ShmSandbox.START)).as(child.lines().toString()).isZero();
            assertThat(child.lines()).containsExactly(
                    "ENCODING " + encoding,
                    "CHECK non-portable-name IllegalArgumentException",
                    "CHECK lone-surrogate IllegalArgumentException",
                    "CHECK question-mark IllegalArgumentException",
                    "CHECK portable-name ok",
                    "CHECK descriptor-20000-bytes IllegalArgumentException",
                    "CHECK array-max-int IllegalArgumentException",
                    "CHECK bytes-max-int IllegalArgumentException",
                    "CHECK bytes-max-size IllegalArgumentException",
                    "CHECK huge-left-behind false",
                    "CHECK crafted-descriptor CorruptSegmentException",
                    "DONE");
        }
    }

    @Test
    void shouldAcceptNamesWithAndWithoutLeadingSlash() {
        String name = names.next("slash");
        try (IpcArc<Long> a = IpcArc.create(name.substring(1), 3L);
             IpcArc<Long> b = IpcArc.load(name, Long.class)) {
            assertThat(a.name()).isEqualTo(name);
            assertThat(b.read()).isEqualTo(3L);
        }
    }

    @Test
    void shouldThrowSegmentNotFoundForMissingName() {
        String name = names.next("missing");
        assertThatThrownBy(() -> IpcArc.load(name, Long.class)).isInstanceOf(SegmentNotFoundException.class)
                .hasMessageContaining("errno=ENOENT").hasMessageContaining("name=" + name);
        assertThatThrownBy(() -> IpcArc.load(name)).isInstanceOf(SegmentNotFoundException.class);
    }

    @Test
    void shouldThrowSegmentExistsWhenCreatedTwice() {
        String name = names.next("twice");
        try (IpcArc<Long> a = IpcArc.create(name, 1L)) {
            assertThatThrownBy(() -> IpcArc.create(name, 2L)).isInstanceOf(SegmentExistsException.class)
                    .hasMessageContaining("name=" + name).hasMessageContaining("refCount=1");
            assertThat(a.read()).isEqualTo(1L);
        }
    }

    @Test
    void shouldRejectLoadWithAnotherTypeBeforeReadingThePayload() {
        String name = names.next("types");
        try (IpcArc<Long> a = IpcArc.create(name, 1L)) {
            assertThatThrownBy(() -> IpcArc.load(name, Integer.class)).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("name=" + name).hasMessageContaining("expected i32, found i64")
                    .satisfies(e -> assertThat(((TypeMismatchException) e).found()).isEqualTo("i64"));
            assertThatThrownBy(() -> IpcArc.load(name, Records.Point.class)).isInstanceOf(TypeMismatchException.class);
            assertThat(a.refCount()).as("a failed load takes no reference").isEqualTo(1);
        }
        String point = names.next("point");
        try (IpcArc<Records.Point> p = IpcArc.create(point, new Records.Point(1, 2.0))) {
            assertThatThrownBy(() -> IpcArc.load(point, Records.OtherPoint.class)).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("type name: expected io.ipcarc.testing.Records$OtherPoint, found "
                            + "io.ipcarc.testing.Records$Point")
                    .satisfies(e -> assertThat(((TypeMismatchException) e).found()).endsWith("Point{x:i32,y:f64}"));
            IpcArc<Records.Point> untyped = IpcArc.load(point);
            assertThat(untyped.read()).isEqualTo(new Records.Point(1, 2.0));
            untyped.close();
        }
    }

    @Test
    void shouldRejectRandomFourKilobyteFileAndLeaveItAlone() throws IOException {
        String name = names.next("random");
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Files.write(ShmNames.file(name), junk);
        assertThatThrownBy(() -> IpcArc.load(name, Long.class)).isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("bad magic").hasMessageContaining("name=" + name);
        assertThatThrownBy(() -> IpcArc.load(name)).isInstanceOf(CorruptSegmentException.class);
        assertThatThrownBy(() -> IpcArc.create(name, 1L)).isInstanceOf(SegmentExistsException.class)
                .hasMessageContaining("kind=foreign");
        assertThatThrownBy(() -> IpcArc.openOrCreate(name, 1L)).isInstanceOf(CorruptSegmentException.class);
        assertThat(Files.readAllBytes(ShmNames.file(name))).isEqualTo(junk);
    }

    @Test
    void shouldRejectTenByteFileAndLeaveItAlone() throws IOException {
        String name = names.next("tiny");
        byte[] junk = "0123456789".getBytes();
        Files.write(ShmNames.file(name), junk);
        assertThatThrownBy(() -> IpcArc.load(name, Long.class)).isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("too small").hasMessageContaining("size=10").hasMessageContaining("name=" + name);
        assertThatThrownBy(() -> IpcArc.openOrCreate(name, 1L)).isInstanceOf(CorruptSegmentException.class);
        assertThat(Files.readAllBytes(ShmNames.file(name))).isEqualTo(junk);
    }

    @Test
    void shouldRejectOldEmptyFileWithoutWaitingAndLeaveItAlone() throws IOException {
        String name = names.next("empty");
        Path f = Files.createFile(ShmNames.file(name));
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(60)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> IpcArc.load(name, Long.class)).isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("empty object").hasMessageContaining("name=" + name);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(Files.exists(f)).isTrue();
    }

    @Test
    void shouldRejectTruncatedSegment() throws IOException {
        String name = names.next("trunc");
        try (IpcArc<Records.Sample> a = IpcArc.create(name, ShmType.of(Records.Sample.class), Records.sample())) {
            try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
                ch.truncate(4096);
            }
            assertThatThrownBy(() -> IpcArc.load(name, Records.Sample.class)).isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("truncated").hasMessageContaining("size=4096").hasMessageContaining("name=" + name);
            // The creator's own handle: its truncation watcher notices, and every call fails from then on.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(a::refCount)
                    .isInstanceOf(CorruptSegmentException.class).hasMessageContaining("truncated").hasMessageContaining("name=" + name));
            assertThatThrownBy(a::read).isInstanceOf(CorruptSegmentException.class).hasMessageContaining("name=" + name);
            a.close(); // a truncated handle always closes
            assertThat(a.isOpen()).isFalse();
        }
    }

    @Test
    void shouldRejectUnknownLayoutVersion() throws IOException {
        String name = names.next("version");
        try (IpcArc<Long> a = IpcArc.create(name, 1L)) {
            writeInt(name, SegmentDescriptor.VERSION_OFFSET, 99);
            assertThatThrownBy(() -> IpcArc.load(name, Long.class)).isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("unsupported layout version").hasMessageContaining("version=99");
            writeInt(name, SegmentDescriptor.VERSION_OFFSET, SegmentDescriptor.LAYOUT_VERSION);
            try (IpcArc<Long> b = IpcArc.load(name, Long.class)) {
                assertThat(b.read()).isEqualTo(1L);
            }
        }
    }

    @Test
    void shouldRejectTamperedDescriptor() throws IOException {
        String name = names.next("desc");
        try (IpcArc<Long> a = IpcArc.create(name, 1L)) {
            writeInt(name, SegmentDescriptor.DESCRIPTOR_OFFSET, 0x32336920); // " i32" over "i64"
            assertThatThrownBy(() -> IpcArc.load(name)).isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("name=" + name);
        }
    }

    @Test
    void shouldReportEnospcWhenShmIsFull() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(isRoot() && hasUnshare(),
                "needs root and unshare to mount a tiny tmpfs over /dev/shm in a private mount namespace");
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o size=256k tmpfs /dev/shm && exec \"$0\" -cp \"$1\" \"$2\"",
                java, cp, FullShm.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("IpcArcException: posix_fallocate failed: errno=ENOSPC").contains("name=/full")
                .contains("LEFT=[]");
    }

    /** Runs inside a mount namespace whose /dev/shm holds 256 KiB. */
    public static final class FullShm {
        public static void main(String[] args) throws IOException {
            try {
                IpcArc.create("/full", ShmType.bytes(1 << 20), null, ArcOptions.defaults());
                System.out.println("UNEXPECTED: created");
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try (var s = Files.list(Path.of("/dev/shm"))) {
                System.out.println("LEFT=" + s.map(Path::getFileName).toList());
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean hasUnshare() {
        return Files.isExecutable(Path.of("/usr/bin/unshare"));
    }

    private static void writeInt(String name, int offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value);
            ch.write(b, offset);
        }
    }

    /**
     * Another process scribbles this process's handle count in its holder slot: the process
     * trusts its own count, repairs the slot, and its last close still drops the last reference
     * and unlinks the segment (it used to leave it behind with the scribbled count).
     */
    @Test
    void shouldTrustItsOwnHandleCountOverAScribbledSlot() throws IOException {
        String name = names.next("count");
        IpcArc<Long> a = IpcArc.create(name, 1L);
        IpcArc<Long> b = IpcArc.load(name, Long.class);
        writeLong(name, SegmentDescriptor.holderSlotOffset(0) + SegmentDescriptor.HOLDER_HANDLES, 146);
        b.close();
        assertThat(a.refCount()).as("repaired at the close: this process holds one handle").isEqualTo(1);
        writeLong(name, SegmentDescriptor.holderSlotOffset(0) + SegmentDescriptor.HOLDER_HANDLES, 146);
        a.close();
        assertThat(ShmNames.exists(name)).as("the last close unlinked it").isFalse();
    }

    /**
     * Another process scribbles the state word to "unlinked" while the segment is named and held:
     * a loader is told the segment is damaged, not that it was not found.
     */
    @Test
    void shouldReportAScribbledUnlinkedStateAsDamage() throws IOException {
        String name = names.next("state");
        try (IpcArc<Long> a = IpcArc.create(name, 1L)) {
            ByteBuffer two = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, SegmentDescriptor.STATE_UNLINKED);
            try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
                ch.write(two, SegmentDescriptor.STATE_OFFSET);
            }
            assertThatThrownBy(() -> IpcArc.load(name, Long.class)).isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("bad state in header").hasMessageContaining("name=" + name)
                    .hasMessageContaining("liveHolders=1");
            assertThat(a.read()).as("the holder goes on").isEqualTo(1L);
        }
    }

    private static void writeLong(String name, int offset, long value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value);
        try (FileChannel ch = FileChannel.open(ShmNames.file(name), StandardOpenOption.WRITE)) {
            ch.write(b, offset);
        }
    }
}
