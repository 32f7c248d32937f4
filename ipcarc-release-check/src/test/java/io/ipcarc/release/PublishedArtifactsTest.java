package io.ipcarc.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.testing.Snippets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What a release of this reactor would publish, checked on what {@code mvn package} built: every
 * published module (one that does not set {@code maven.deploy.skip}) ships a jar, a sources jar
 * with all its sources and a javadoc jar; every published POM carries what Maven Central requires
 * (name, description, url, license, developer, scm), its own or its parent's; {@code ipcarc-bom}
 * pins exactly the published modules at the reactor's version; and the samples import that BOM,
 * the quick start sample running the README's quick start as written.
 * Each test lists every problem it finds at once.
 */
class PublishedArtifactsTest {
    private static final Path ROOT = Path.of(required("ipcarc.release.root")).toAbsolutePath().normalize();
    private static final String VERSION = required("ipcarc.release.version");
    private static final String GROUP = "io.ipcarc";
    private static final String THIS_MODULE = "ipcarc-release-check";

    private final Pom root = Pom.read(ROOT.resolve("pom.xml"));
    private final List<Module> modules = root.modules().stream()
            .map(m -> new Module(m, Pom.read(ROOT.resolve(m).resolve("pom.xml")))).toList();

    /** A module of the reactor: its directory name and its POM. */
    private record Module(String dir, Pom pom) {
        boolean publishedJar() {
            return pom.published() && "jar".equals(pom.packaging());
        }

        Path target(String classifier) {
            return ROOT.resolve(dir).resolve("target")
                    .resolve(pom.artifactId() + "-" + VERSION + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
        }
    }

    @Test
    void shouldBuildTheJarSourcesAndJavadocOfEveryPublishedModule() throws IOException {
        assertThat(modules.stream().filter(Module::publishedJar)).as("published jar modules").isNotEmpty();
        Set<String> orderedBefore = Pom.read(ROOT.resolve(THIS_MODULE).resolve("pom.xml")).dependencies();
        List<String> problems = new ArrayList<>();
        for (Module m : modules.stream().filter(Module::publishedJar).toList()) {
            String a = m.pom().artifactId();
            if (!orderedBefore.contains(a)) {
                problems.add(a + ": not a dependency of " + THIS_MODULE + ", so it may be built after this check");
            }
            List<String> missing = Stream.of("", "sources", "javadoc").map(m::target).filter(f -> !Files.isRegularFile(f))
                    .map(f -> a + ": no " + ROOT.relativize(f) + " (the parent POM's maven-source-plugin and maven-javadoc-plugin"
                            + " build them in every jar module)").toList();
            problems.addAll(missing);
            if (missing.isEmpty()) {
                Set<String> sources = sourcesOf(ROOT.resolve(m.dir()).resolve("src/main/java"));
                sources.addAll(sourcesOf(ROOT.resolve(m.dir()).resolve("src/main/java22"))); // ipcarc-posix's FFM binding
                Set<String> inJar = entries(m.target("sources"), ".java");
                sources.removeAll(inJar);
                if (!sources.isEmpty()) {
                    problems.add(a + ": sources jar lacks " + sources);
                }
                if (entries(m.target("javadoc"), "index.html").isEmpty()) {
                    problems.add(a + ": javadoc jar has no index.html");
                }
            }
        }
        assertThat(problems).as("published artifacts of %s", ROOT).isEmpty();
    }

    @Test
    void shouldGiveEveryPublishedPomWhatMavenCentralRequires() {
        Pom bom = Pom.read(ROOT.resolve("ipcarc-bom/pom.xml"));
        List<String> problems = new ArrayList<>(root.centralProblems(null));
        problems.addAll(bom.centralProblems(null));
        for (Module m : modules) {
            if (m.pom().published()) {
                problems.addAll(m.pom().centralProblems(m.pom().inheritsFrom(root) ? root : null));
            }
        }
        assertThat(problems).as("Maven Central's required POM elements").isEmpty();
    }

    @Test
    void shouldPinExactlyThePublishedModulesInTheBomAtTheReactorsVersion() {
        Pom bom = Pom.read(ROOT.resolve("ipcarc-bom/pom.xml"));
        assertThat(root.modules()).as("the reactor builds the BOM").contains("ipcarc-bom");
        assertThat(bom.groupId()).isEqualTo(GROUP);
        assertThat(bom.version()).as("ipcarc-bom's own version (it has no parent: kept by hand)").isEqualTo(VERSION);
        assertThat(bom.managedVersions()).as("ipcarc-bom's dependencyManagement, artifact=version")
                .isEqualTo(modules.stream().filter(Module::publishedJar)
                        .map(m -> GROUP + ":" + m.pom().artifactId() + "=${project.version}")
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void shouldBuildTheSamplesAgainstThisVersionsBom() throws IOException {
        List<Path> samples;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("samples"))) {
            samples = dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).toList();
        }
        assertThat(samples).as("samples/*/pom.xml").isNotEmpty();
        for (Path sample : samples) {
            assertThat(Pom.read(sample).importedBoms()).as("BOMs %s imports", ROOT.relativize(sample))
                    .containsExactly(GROUP + ":ipcarc-bom:" + VERSION);
        }
    }

    @Test
    void shouldRunTheReadmesQuickStartAsWrittenInTheSample() {
        List<List<String>> quickStart = Snippets.markdown(ROOT.resolve("README.md"), "## Quick start");
        assertThat(quickStart).as("README's quick start: the counter, a record with a string (QuickStartSnippetTest), a map"
                + " (MapQuickStartSnippetTest)").hasSize(3);
        Path counter = ROOT.resolve("samples/quickstart/src/main/java/io/ipcarc/samples/quickstart/Counter.java");
        assertThat(Snippets.appearsIn(quickStart.get(0), counter)).as("README's quick start, line by line, in %s:%n%s",
                ROOT.relativize(counter), String.join("\n", quickStart.get(0))).isTrue();
    }

    private static Set<String> sourcesOf(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> dir.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> entries(Path jar, String suffix) throws IOException {
        Set<String> names = new TreeSet<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = j.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(suffix)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property not set (ipcarc-release-check/pom.xml sets it for surefire): "
                    + "property=" + property);
        }
        return value;
    }
}
