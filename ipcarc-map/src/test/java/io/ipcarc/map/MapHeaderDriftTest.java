package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.ForeignPeers;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The map part of c/ipcarc.h, python/ipcarc.py and docs/map.md cannot drift from the Java map:
 * c/ipcarc_map_layout.c (built with gcc) and the Python module print every constant under the
 * name of the Java constant it must equal, every public constant of {@link MapDescriptor} has a
 * C counterpart, and the hash test vectors docs/map.md lists are what Java, C and Python compute.
 */
class MapHeaderDriftTest {
    private static final Pattern CALL = Pattern.compile("(\\w+)\\.(\\w+)\\(([0-9,]*)\\)");
    private static final Pattern VECTOR = Pattern.compile("\\| [^|]+ \\| `([0-9a-f]+)` \\| `([0-9a-f]{16})` \\| `([0-9a-f]{8})` \\|");

    @Test
    void shouldAgreeWithJavaOnEveryConstantOfTheCHeader() {
        Map<String, String> c = ForeignPeers.keyValues(ForeignPeers.run(List.of(ForeignPeers.executable("gcc",
                "ipcarc_map_layout.c")), 60), true);
        List<String> problems = mismatches(c);
        for (Field f : MapDescriptor.class.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())
                    && !c.containsKey("MapDescriptor." + f.getName())) {
                problems.add("MapDescriptor." + f.getName() + ": not printed by c/ipcarc_map_layout.c (add it to ipcarc.h)");
            }
        }
        assertThat(problems).as("C (ipcarc.h) against Java").isEmpty();
        assertThat(c).hasSizeGreaterThan(80);
    }

    @Test
    void shouldAgreeWithJavaOnEveryConstantThePythonReaderUses() {
        Map<String, String> py = ForeignPeers.keyValues(ForeignPeers.run(ForeignPeers.python("ipcarc.py", "map-constants"), 60), true);
        assertThat(py).hasSizeGreaterThan(30);
        assertThat(mismatches(py)).as("Python (ipcarc.py) against Java").isEmpty();
    }

    @Test
    void shouldComputeTheDocumentedHashVectorsInJavaCAndPython() throws IOException {
        String doc = Files.readString(ForeignPeers.ROOT.resolve("docs/map.md"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = VECTOR.matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), "0x" + m.group(2));
            assertThat(m.group(2)).startsWith(m.group(3));
        }
        assertThat(documented).as("test vectors in docs/map.md").hasSizeGreaterThanOrEqualTo(8);
        List<String> c = new ArrayList<>(List.of(ForeignPeers.executable("gcc", "ipcarc_map_layout.c")));
        c.addAll(documented.keySet());
        Map<String, String> fromC = ForeignPeers.keyValues(ForeignPeers.run(c, 60), true);
        List<String> py = new ArrayList<>(ForeignPeers.python("ipcarc.py", "map-hash"));
        py.addAll(documented.keySet());
        Map<String, String> fromPython = ForeignPeers.keyValues(ForeignPeers.run(py, 60), true);
        for (Map.Entry<String, String> v : documented.entrySet()) {
            byte[] key = HexFormat.of().parseHex(v.getKey());
            int stride = (key.length + 7) & ~7;
            String inJava = String.format("0x%016x", MapHash.of(Arrays.copyOf(key, stride), stride));
            assertThat(inJava).as("Java hash of " + v.getKey()).isEqualTo(v.getValue());
            assertThat(fromC.get("hash(" + v.getKey() + ")")).as("C hash of " + v.getKey()).isEqualTo(v.getValue());
            assertThat(fromPython.get("hash(" + v.getKey() + ")")).as("Python hash of " + v.getKey()).isEqualTo(v.getValue());
        }
        assertThat(MapHash.ofWord(1)).isEqualTo(MapHash.of(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8));
    }

    /** @return one line per key whose value differs from the Java value it names */
    private static List<String> mismatches(Map<String, String> printed) {
        List<String> problems = new ArrayList<>();
        printed.forEach((key, value) -> {
            if (key.startsWith("hash(")) {
                return;
            }
            String java = javaValue(key);
            if (!value.equals(java)) {
                problems.add(key + ": printed=" + value + ", java=" + java);
            }
        });
        return problems;
    }

    private static String javaValue(String key) {
        try {
            Matcher call = CALL.matcher(key);
            if (call.matches()) {
                Class<?> cls = Class.forName("io.ipcarc.map." + call.group(1));
                String[] a = call.group(3).isEmpty() ? new String[0] : call.group(3).split(",");
                for (Method m : cls.getDeclaredMethods()) {
                    if (m.getName().equals(call.group(2)) && m.getParameterCount() == a.length) {
                        Object[] values = new Object[a.length];
                        for (int i = 0; i < a.length; i++) {
                            values[i] = Integer.parseInt(a[i]);
                        }
                        m.setAccessible(true);
                        return String.valueOf(m.invoke(null, values));
                    }
                }
                return "no such Java method";
            }
            int dot = key.indexOf('.');
            Field f = Class.forName("io.ipcarc.map." + key.substring(0, dot)).getDeclaredField(key.substring(dot + 1));
            f.setAccessible(true);
            Object v = f.get(null);
            return v instanceof Number n ? Long.toUnsignedString(n.longValue()) : String.valueOf(v);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "no such Java constant (" + e + ")";
        }
    }
}
