package io.ipcarc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.ShmLayout;
import io.ipcarc.ring.ReaderState;
import io.ipcarc.ring.RingDescriptor;
import io.ipcarc.testing.ForeignPeers;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ring part of c/ipcarc.h, c/ipcarc_tick.h, python/ipcarc_ring.py, rust/ipcarc_reporter.rs
 * and docs/interop.md cannot drift from the Java ring ({@link RingDescriptor}, {@link ReaderState},
 * the reader's and writer's timing constants) and the apps' {@link Tick}: a C program built from
 * the headers with gcc (c/ipcarc_ring_layout.c), the Python module and the Rust program print
 * every offset and constant under the name of the Java constant it must equal, and the tick
 * vectors (generator and CSV line) computed in C, Python and Rust equal Java's.
 */
class RingHeaderDriftTest {
    private static final Pattern CALL = Pattern.compile("(\\w+)\\.(\\w+)\\(([0-9,]*)\\)");
    private static final Pattern TICK = Pattern.compile("tick\\((\\d+),(-?\\d+)\\)");
    private static final Pattern MIX = Pattern.compile("mix\\((\\d+)\\)");

    @Test
    void shouldAgreeWithTheJavaRingOnEveryOffsetAndConstantOfTheCHeader() {
        Map<String, String> c = printed(List.of(ForeignPeers.executable("gcc", "ipcarc_ring_layout.c")));
        List<String> problems = mismatches(c);
        for (Field f : RingDescriptor.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && (f.getType().isPrimitive() || f.getType() == String.class)
                    && !f.getName().startsWith("TYPE_TAG_V") && !c.containsKey("RingDescriptor." + f.getName())) {
                problems.add("RingDescriptor." + f.getName() + ": not printed by c/ipcarc_ring_layout.c (add it to ipcarc.h)");
            }
        }
        for (ReaderState s : ReaderState.values()) {
            if (!c.containsKey("ReaderState." + s.name())) {
                problems.add("ReaderState." + s.name() + ": not printed by c/ipcarc_ring_layout.c");
            }
        }
        assertThat(problems).as("C (ipcarc.h, ipcarc_tick.h) against Java").isEmpty();
        assertThat(c.keySet().stream().filter(k -> k.startsWith("tick("))).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldAgreeWithTheJavaRingOnEveryOffsetThePythonModuleUses() {
        Map<String, String> py = printed(ForeignPeers.python("ipcarc_ring.py", "constants"));
        assertThat(py).hasSizeGreaterThan(30);
        assertThat(mismatches(py)).as("Python (ipcarc_ring.py) against Java").isEmpty();
    }

    @Test
    void shouldAgreeWithTheJavaRingOnEveryOffsetTheRustReporterUses() {
        Map<String, String> rs = printed(List.of(ForeignPeers.rustExecutable("ipcarc_reporter.rs"), "constants"));
        assertThat(rs).hasSizeGreaterThan(30);
        assertThat(mismatches(rs)).as("Rust (ipcarc_reporter.rs) against Java").isEmpty();
    }

    @Test
    void shouldDocumentTheTickVectorsThatJavaComputes() throws IOException {
        String doc = Files.readString(ForeignPeers.ROOT.resolve("docs/interop.md"));
        Map<String, String> c = printed(List.of(ForeignPeers.executable("gcc", "ipcarc_ring_layout.c")));
        int documented = 0;
        for (Map.Entry<String, String> e : c.entrySet()) {
            Matcher m = TICK.matcher(e.getKey());
            if (m.matches()) {
                String line = e.getValue().replace(" check=1", "");
                if (doc.contains("`" + line + "`")) {
                    documented++;
                }
            }
        }
        assertThat(documented).as("docs/interop.md lists tick vectors that C and Java agree on").isGreaterThanOrEqualTo(3);
        assertThat(doc).contains(String.format("`0x%016x`", Tick.TYPE.fingerprint())).contains("`" + Tick.TYPE.descriptor() + "`");
    }

    /** @return what a peer printed, by key */
    private static Map<String, String> printed(List<String> command) {
        return ForeignPeers.keyValues(ForeignPeers.run(command, 120), false);
    }

    /** @return one line per key whose value differs from the Java value it names */
    private static List<String> mismatches(Map<String, String> printed) {
        List<String> problems = new ArrayList<>();
        printed.forEach((key, value) -> {
            String java = javaValue(key);
            if (!value.equals(java)) {
                problems.add(key + ": printed=" + value + ", java=" + java);
            }
        });
        return problems;
    }

    /** @return the Java value a key names, as the peers print it */
    private static String javaValue(String key) {
        Matcher tick = TICK.matcher(key);
        if (tick.matches()) {
            long seq = Long.parseLong(tick.group(1));
            long ts = Long.parseLong(tick.group(2));
            return Tick.expectedLine(seq, ts) + " check=1";
        }
        Matcher mix = MIX.matcher(key);
        if (mix.matches()) {
            return String.format("0x%016x", Tick.mix(Long.parseLong(mix.group(1))));
        }
        switch (key) {
            case "Tick.DESCRIPTOR":
                return Tick.TYPE.descriptor();
            case "Tick.FINGERPRINT":
                return String.format("0x%016x", ShmLayout.fingerprint(Tick.TYPE.descriptor()));
            case "Tick.SIZE":
                return Integer.toString(Tick.TYPE.size());
            default:
                break;
        }
        if (key.startsWith("ReaderState.")) {
            return Integer.toString(ReaderState.valueOf(key.substring("ReaderState.".length())).code());
        }
        Matcher call = CALL.matcher(key);
        if (call.matches()) {
            return invoke(call.group(1), call.group(2), call.group(3));
        }
        int dot = key.indexOf('.');
        try {
            Field f = javaClass(key.substring(0, dot)).getDeclaredField(key.substring(dot + 1));
            f.setAccessible(true);
            Object v = f.get(null);
            return v instanceof Number n ? Long.toUnsignedString(n.longValue()) : String.valueOf(v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "no such Java constant (" + e + ")";
        }
    }

    private static Class<?> javaClass(String simple) throws ClassNotFoundException {
        for (String pkg : List.of("io.ipcarc.ring.", "io.ipcarc.examples.", "io.ipcarc.posix.segment.", "io.ipcarc.posix.lock.",
                "io.ipcarc.posix.")) {
            try {
                return Class.forName(pkg + simple);
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        throw new ClassNotFoundException(simple);
    }

    private static String invoke(String cls, String method, String args) {
        try {
            for (Method m : javaClass(cls).getDeclaredMethods()) {
                String[] a = args.isEmpty() ? new String[0] : args.split(",");
                if (m.getName().equals(method) && m.getParameterCount() == a.length) {
                    Object[] values = new Object[a.length];
                    for (int i = 0; i < a.length; i++) {
                        values[i] = Integer.parseInt(a[i]);
                    }
                    m.setAccessible(true);
                    return String.valueOf(m.invoke(null, values));
                }
            }
            return "no such Java method";
        } catch (ReflectiveOperationException e) {
            return "cannot call (" + e + ")";
        }
    }
}
