package io.ipcarc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ShmNames;
import io.ipcarc.testing.ShmSandbox;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files in /dev/shm that are not IpcArc segments are reported on request and never changed by any command. */
@Timeout(120)
class ForeignFileCommandTest {
    @RegisterExtension
    final ShmSandbox sandbox = new ShmSandbox();

    private record Snapshot(byte[] bytes, FileTime modified, Set<PosixFilePermission> mode) {
        static Snapshot of(String name) throws Exception {
            return new Snapshot(Files.readAllBytes(ShmNames.file(name)), Files.getLastModifiedTime(ShmNames.file(name)),
                    Files.getPosixFilePermissions(ShmNames.file(name)));
        }

        boolean sameAs(Snapshot o) {
            return Arrays.equals(bytes, o.bytes) && modified.equals(o.modified) && mode.equals(o.mode);
        }
    }

    @Test
    void shouldNeverModifyOrRemoveForeignFileWithAnyCommand() throws Exception {
        String text = sandbox.name("foreign-text");
        String noise = sandbox.name("foreign-noise");
        String fakeMagic = sandbox.name("foreign-magic");
        String truncated = sandbox.truncatedSegment("foreign-truncated");
        Files.writeString(ShmNames.file(text), "not a segment\n");
        byte[] bytes = new byte[8192];
        Arrays.fill(bytes, (byte) 0xa5);
        Files.write(ShmNames.file(noise), bytes);
        // the right magic, then garbage: version 99 and nonsense offsets
        ByteBuffer fake = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
        fake.putLong(0, 0x312E435241435049L).putInt(8, 99).putInt(12, 1).putLong(24, 1L << 40);
        Files.write(ShmNames.file(fakeMagic), fake.array());
        List<String> foreign = List.of(text, noise, fakeMagic, truncated);
        Map<String, Snapshot> before = new LinkedHashMap<>();
        for (String n : foreign) {
            before.put(n, Snapshot.of(n));
        }

        Cli ls = Cli.run("ls");
        assertThat(ls.code()).isZero();
        assertThat(ls.out()).doesNotContain(text, noise, fakeMagic, truncated);
        Cli all = Cli.run("ls", "--all");
        for (String n : foreign) {
            assertThat(all.line(n)).contains(" foreign ");
        }
        assertThat(all.line(truncated)).contains("object size does not match its header");
        assertThat(all.line(fakeMagic)).contains("unsupported layout version");
        assertThat(Cli.run("ls", "--all", "--json").out()).contains("\"kind\": \"foreign\"");
        for (String n : foreign) {
            Cli inspect = Cli.run("inspect", n);
            assertThat(inspect.code()).isZero();
            assertThat(inspect.line("kind")).endsWith("foreign");
            Cli rm = Cli.run("rm", n);
            assertThat(rm.code()).isEqualTo(4);
            assertThat(rm.err()).contains("not an IpcArc segment, never removed");
            assertThat(Cli.run("rm", "--force", n).code()).isEqualTo(4);
        }
        assertThat(Cli.run("gc", "--remove", "--prefix", ShmNames.prefix()).out().trim()).isEqualTo("no orphans removed");

        for (String n : foreign) {
            assertThat(ShmNames.exists(n)).as(n).isTrue();
            assertThat(Snapshot.of(n).sameAs(before.get(n))).as("unchanged: " + n).isTrue();
        }
    }
}
