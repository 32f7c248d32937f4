package io.ipcarc.release;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The parts of a {@code pom.xml} that a release check reads, taken from the file as written (no
 * interpolation, no inheritance: {@link #centralProblems} applies the one level of inheritance
 * this reactor has, from its root POM).
 */
final class Pom {
    private final Path file;
    private final Element project;

    private Pom(Path file, Element project) {
        this.file = file;
        this.project = project;
    }

    static Pom read(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new Pom(file, f.newDocumentBuilder().parse(file.toFile()).getDocumentElement());
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new IllegalStateException("cannot read a POM: file=" + file + ", cause=" + e, e);
        }
    }

    String artifactId() {
        return text(project, "artifactId").orElseThrow(() -> new IllegalStateException("no artifactId: file=" + file));
    }

    String groupId() {
        return text(project, "groupId").or(() -> child(project, "parent").flatMap(p -> text(p, "groupId"))).orElse("");
    }

    String version() {
        return text(project, "version").or(() -> child(project, "parent").flatMap(p -> text(p, "version"))).orElse("");
    }

    String packaging() {
        return text(project, "packaging").orElse("jar");
    }

    /** Published unless the POM sets the property {@code maven.deploy.skip} to true. */
    boolean published() {
        return !child(project, "properties").flatMap(p -> text(p, "maven.deploy.skip")).orElse("false").equals("true");
    }

    List<String> modules() {
        return child(project, "modules").map(m -> children(m, "module").stream().map(Element::getTextContent)
                .map(String::trim).toList()).orElse(List.of());
    }

    /** The artifactIds of the {@code dependencies}. */
    Set<String> dependencies() {
        Set<String> ids = new TreeSet<>();
        for (Element d : child(project, "dependencies").map(ds -> children(ds, "dependency")).orElse(List.of())) {
            text(d, "artifactId").ifPresent(ids::add);
        }
        return ids;
    }

    /** {@code groupId:artifactId=version} of each entry of {@code dependencyManagement}, but imports. */
    Set<String> managedVersions() {
        Set<String> pins = new TreeSet<>();
        for (Element d : managed()) {
            if (!"import".equals(text(d, "scope").orElse(""))) {
                pins.add(text(d, "groupId").orElse("") + ":" + text(d, "artifactId").orElse("") + "=" + text(d, "version").orElse(""));
            }
        }
        return pins;
    }

    /** {@code groupId:artifactId:version} of each BOM imported in {@code dependencyManagement}. */
    List<String> importedBoms() {
        return managed().stream().filter(d -> "import".equals(text(d, "scope").orElse("")))
                .map(d -> text(d, "groupId").orElse("") + ":" + text(d, "artifactId").orElse("") + ":" + text(d, "version").orElse(""))
                .toList();
    }

    boolean inheritsFrom(Pom parent) {
        return child(project, "parent").flatMap(p -> text(p, "artifactId")).filter(parent.artifactId()::equals).isPresent();
    }

    /**
     * What Maven Central would refuse in this POM.
     *
     * @param parent the POM it inherits url, licenses, developers and scm from, or null
     * @return one line per missing element, naming the artifact; empty if none
     */
    List<String> centralProblems(Pom parent) {
        List<String> problems = new ArrayList<>();
        String a = artifactId();
        // name is never inherited; a description of its own says what this artifact is.
        if (text(project, "name").isEmpty()) {
            problems.add(a + ": no <name>");
        }
        if (text(project, "description").isEmpty()) {
            problems.add(a + ": no <description> of its own");
        }
        if (missing(parent, p -> text(p.project, "url").isPresent())) {
            problems.add(a + ": no <url>");
        }
        if (missing(parent, p -> child(p.project, "licenses").map(l -> children(l, "license")).orElse(List.of()).stream()
                .anyMatch(l -> text(l, "name").isPresent() && text(l, "url").isPresent()))) {
            problems.add(a + ": no <licenses><license> with <name> and <url>");
        }
        if (missing(parent, p -> child(p.project, "developers").map(d -> children(d, "developer")).orElse(List.of()).stream()
                .anyMatch(d -> text(d, "name").isPresent()))) {
            problems.add(a + ": no <developers><developer> with a <name>");
        }
        if (missing(parent, p -> child(p.project, "scm").filter(s -> text(s, "url").isPresent()
                && text(s, "connection").isPresent()).isPresent())) {
            problems.add(a + ": no <scm> with <url> and <connection>");
        }
        return problems;
    }

    /** Whether neither this POM nor {@code parent} (if any) has what {@code has} looks for. */
    private boolean missing(Pom parent, Predicate<Pom> has) {
        return !has.test(this) && (parent == null || !has.test(parent));
    }

    private List<Element> managed() {
        return child(project, "dependencyManagement").flatMap(m -> child(m, "dependencies"))
                .map(ds -> children(ds, "dependency")).orElse(List.of());
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(Element::getTextContent).map(String::trim).filter(t -> !t.isEmpty());
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                found.add(e);
            }
        }
        return found;
    }
}
