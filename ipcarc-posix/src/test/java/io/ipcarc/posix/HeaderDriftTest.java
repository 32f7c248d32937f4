package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.ArcOptions;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import io.ipcarc.testing.ForeignPeers;
import io.ipcarc.testing.Records;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import io.ipcarc.posix.segment.SegmentDescriptor;

/**
 * c/ipcarc.h, python/ipcarc.py and docs/interop.md cannot drift from the Java layout: a C
 * program built from the header with gcc (c/ipcarc_layout.c) and the Python module print every
 * offset and constant under the name of the Java constant it must equal, and both compute the
 * fingerprints of the documented test vectors.
 */
class HeaderDriftTest {
    /** c/ipcarc_layout.c built with gcc. */
    private final String layout = ForeignPeers.executable("gcc", "ipcarc_layout.c");

    /** The test vectors of docs/interop.md: descriptor, FNV-1a 64, size. */
    private record Vector(String descriptor, String fingerprint, int size) {
    }

    private static final List<Vector> VECTORS = List.of(
            new Vector("i64", "0x2ae1af192b331746", 8),
            new Vector("io.ipcarc.testing.Records$Triple{a:i64,b:i64,c:i64}", "0x8424bbe764627dfe", 24),
            new Vector("io.ipcarc.testing.Records$Sample{kind:i8,origin:io.ipcarc.testing.Records$Point{x:i32,y:f64},"
                    + "values:i64[4],flag:bool,tag:char,small:i16}", "0xeed3370740496c39", 64),
            new Vector("i64[4]", "0xabb2f822dbb8e75c", 32),
            new Vector("bytes[16]", "0x6876fa1c2c2c6301", 16),
            new Vector("bytes<ipcarc.ring/1>[4096]", "0x3eb87b77ff09c1b9", 4096),
            new Vector("café.Menu{price:f64,open:bool}", "0x0b2c39c378b65593", 16),
            new Vector("io.ipcarc.testing.Records$Quote{symbol:utf8[16],side:Side(BUY,SELL,HOLD),price:i64,qty:i32}",
                    "0xd08a0c24dd6671f7", 40),
            new Vector("io.ipcarc.testing.Records$Fleet{name:utf8[12],stops:io.ipcarc.testing.Records$Point{x:i32,y:f64}[3],"
                    + "quotes:io.ipcarc.testing.Records$Quote{symbol:utf8[16],side:Side(BUY,SELL,HOLD),price:i64,qty:i32}[2],"
                    + "sides:Side(BUY,SELL,HOLD)[2],tags:utf8[4][2]}", "0x4d469f971f4ed0f3", 160),
            new Vector("utf8[16]", "0xb0ca228d1b0ba28f", 16),
            new Vector("Side(BUY,SELL,HOLD)", "0x957b4d730530e9a6", 1));

    @Test
    void shouldAgreeWithTheJavaConstantsOnEveryOffsetAndConstantOfTheCHeader() {
        Map<String, String> c = ForeignPeers.keyValues(ForeignPeers.run(List.of(layout), 60), true);
        List<String> problems = mismatches(c);
        for (Field f : SegmentDescriptor.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType().isPrimitive()
                    && !c.containsKey("SegmentDescriptor." + f.getName())) {
                problems.add("SegmentDescriptor." + f.getName() + ": not printed by c/ipcarc_layout.c (add it to ipcarc.h)");
            }
        }
        assertThat(problems).as("C (ipcarc.h) against Java").isEmpty();
        assertThat(c.get("CLibrary.NAME")).as("both name the C library the same way").startsWith("glibc ");
    }

    @Test
    void shouldAgreeWithTheJavaConstantsOnEveryOffsetThePythonModuleUses() {
        List<String> lines = ForeignPeers.run(ForeignPeers.python("ipcarc.py", "constants"), 60);
        Map<String, String> py = ForeignPeers.keyValues(lines, true);
        assertThat(py).hasSizeGreaterThan(30);
        assertThat(mismatches(py)).as("Python (ipcarc.py) against Java").isEmpty();
    }

    @Test
    void shouldComputeTheDocumentedDescriptorsAndFingerprintsInJavaCAndPython() throws IOException {
        assertThat(ShmType.of(Long.class).descriptor()).isEqualTo(VECTORS.get(0).descriptor());
        assertThat(ShmType.of(Records.Triple.class).descriptor()).isEqualTo(VECTORS.get(1).descriptor());
        assertThat(ShmType.of(Records.Sample.class).descriptor()).isEqualTo(VECTORS.get(2).descriptor());
        assertThat(new ShmLayout.Array(ShmLayout.Kind.I64, 4).descriptor()).isEqualTo(VECTORS.get(3).descriptor());
        assertThat(ShmType.bytes(16).descriptor()).isEqualTo(VECTORS.get(4).descriptor());
        assertThat(ShmType.bytes("ipcarc.ring/1", 4096).descriptor()).isEqualTo(VECTORS.get(5).descriptor());
        assertThat(ShmType.of(Records.Quote.class).descriptor()).isEqualTo(VECTORS.get(7).descriptor());
        assertThat(ShmType.of(Records.Fleet.class).descriptor()).isEqualTo(VECTORS.get(8).descriptor());
        assertThat(ShmType.string(16).descriptor()).isEqualTo(VECTORS.get(9).descriptor());
        assertThat(ShmType.of(Records.Side.class).descriptor()).isEqualTo(VECTORS.get(10).descriptor());

        List<String> descriptors = VECTORS.stream().map(Vector::descriptor).toList();
        List<String> cArgs = new ArrayList<>(List.of(layout));
        cArgs.addAll(descriptors);
        Map<String, String> c = ForeignPeers.keyValues(ForeignPeers.run(cArgs, 60), true);
        List<String> pyArgs = new ArrayList<>(List.of("fingerprint"));
        pyArgs.addAll(descriptors);
        List<String> pyLines = ForeignPeers.run(ForeignPeers.python("ipcarc.py", pyArgs.toArray(String[]::new)), 60);
        Map<String, String> py = ForeignPeers.keyValues(pyLines, true);
        String doc = Files.readString(ForeignPeers.ROOT.resolve("docs/interop.md"));
        for (Vector v : VECTORS) {
            ShmLayout parsed = ShmLayout.parse(v.descriptor());
            assertThat(parsed.descriptor()).as("canonical").isEqualTo(v.descriptor());
            assertThat(String.format("0x%016x", ShmLayout.fingerprint(v.descriptor()))).as("Java: %s", v).isEqualTo(v.fingerprint());
            assertThat(parsed.size()).as("size of %s", v).isEqualTo(v.size());
            String key = "fingerprint(" + v.descriptor() + ")";
            assertThat(c.get(key)).as("C: %s", v).isEqualTo(v.fingerprint());
            assertThat(c.get("size(" + v.descriptor() + ")")).as("C's size of %s", v).isEqualTo(Integer.toString(v.size()));
            assertThat(py.get(key)).as("Python: %s", v).isEqualTo(v.fingerprint());
            String pyLayout = ForeignPeers.run(ForeignPeers.python("ipcarc.py", "layout", v.descriptor()), 60).get(0);
            assertThat(pyLayout).as("Python's layout of %s", v).isEqualTo(pythonLayout(parsed));
            assertThat(doc.lines().filter(l -> l.contains("`" + v.descriptor() + "`") && l.contains("`" + v.fingerprint() + "`")))
                    .as("docs/interop.md lists %s", v).hasSize(1);
        }
    }

    /** What {@code ipcarc.py layout} prints for a layout, computed by Java. */
    private static String pythonLayout(ShmLayout l) {
        String members = l instanceof ShmLayout.Struct s
                ? s.members().stream().map(m -> m.name() + ":" + m.offset()).collect(Collectors.joining(","))
                : "";
        return "size=" + l.size() + " alignment=" + l.alignment() + " members=" + members;
    }

    /** @return one line per key whose value differs from the Java constant it names */
    private static List<String> mismatches(Map<String, String> printed) {
        List<String> problems = new ArrayList<>();
        printed.forEach((key, value) -> {
            if (key.startsWith("fingerprint(") || key.startsWith("size(")) {
                return;
            }
            String java = javaValue(key);
            if (!value.equals(java)) {
                problems.add(key + ": printed=" + value + ", java=" + java);
            }
        });
        return problems;
    }

    /** @return the value of the Java constant {@code Class.FIELD} as unsigned decimal (Durations in nanoseconds) */
    private static String javaValue(String key) {
        if (key.equals("ArcOptions.READY_TIMEOUT")) {
            return Long.toString(ArcOptions.defaults().readyTimeout().toNanos());
        }
        int dot = key.indexOf('.');
        String simple = key.substring(0, dot);
        String field = key.substring(dot + 1);
        for (String pkg : List.of("io.ipcarc.posix.segment.", "io.ipcarc.posix.lock.", "io.ipcarc.posix.sys.", "io.ipcarc.posix.memory.",
                "io.ipcarc.posix.", "io.ipcarc.")) {
            Class<?> cls;
            try {
                cls = Class.forName(pkg + simple);
            } catch (ClassNotFoundException e) {
                continue;
            }
            try {
                Field f = cls.getDeclaredField(field);
                f.setAccessible(true);
                Object v = f.get(null);
                if (v instanceof Duration d) {
                    return Long.toString(d.toNanos());
                }
                if (v instanceof Number n) {
                    return Long.toUnsignedString(n.longValue());
                }
                return String.valueOf(v);
            } catch (ReflectiveOperationException e) {
                return "no such Java constant (" + e + ")";
            }
        }
        return "no such Java class";
    }
}
