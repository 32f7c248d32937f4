package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.posix.memory.PendingFaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingFaults#surface()} works only while the JIT never inlines it (its return is the
 * safepoint poll that raises a fault before glibc touches a vanished mutex page): a later edit
 * that shrinks it fails here, not as a rare SIGBUS in the truncation soak.
 */
class PendingFaultsTest {
    /** C2's default {@code FreqInlineSize}: hot methods with more bytecode are never inlined. */
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void shouldKeepSurfaceAboveTheJitsInliningSizeForHotMethods() throws URISyntaxException {
        Path classes = Path.of(PendingFaults.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p", "-cp", classes.toString(),
                PendingFaults.class.getName());
        assertThat(rc).as(out.toString()).isZero();

        String text = out.toString();
        int start = text.indexOf("public static void surface()");
        assertThat(start).as("surface() in javap's output").isNotNegative();
        int end = text.indexOf("\n\n", start);
        Matcher offsets = Pattern.compile("(?m)^\\s+(\\d+): ").matcher(text.substring(start, end < 0 ? text.length() : end));
        int last = -1;
        while (offsets.find()) {
            last = Integer.parseInt(offsets.group(1));
        }
        assertThat(last).as("offset of surface()'s last instruction in " + List.of(classes)).isGreaterThan(FREQ_INLINE_SIZE);
    }
}
