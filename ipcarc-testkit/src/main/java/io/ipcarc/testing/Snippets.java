package io.ipcarc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps documentation snippets compiled: finds the code blocks of a source file's javadoc
 * ({@code <pre>{@code ...}</pre>}) or of a Markdown section ({@code ```java ... ```}), so that a
 * test can check that each of them appears, line by line, in a compiled test that runs it.
 * Lines are compared trimmed, with segment names normalised: a string literal starting with
 * {@code /} in the snippet and the identifier {@code name} in the test both read {@code NAME},
 * so that tests run the snippets on unique names.
 */
public final class Snippets {
    private static final Pattern JAVADOC = Pattern.compile("<pre>\\{@code\\R(.*?)\\R\\s*\\*?\\s*}</pre>", Pattern.DOTALL);
    private static final Pattern MARKDOWN = Pattern.compile("```java\\R(.*?)\\R```", Pattern.DOTALL);

    private Snippets() {
    }

    /**
     * Extracts the code blocks of the javadoc comments of a source file.
     *
     * @param source a Java source file
     * @return its javadoc code blocks, as lines without the comment's leading {@code *}
     */
    public static List<List<String>> javadoc(Path source) {
        List<List<String>> out = new ArrayList<>();
        Matcher m = JAVADOC.matcher(read(source));
        while (m.find()) {
            List<String> lines = new ArrayList<>();
            for (String l : m.group(1).split("\\R")) {
                lines.add(l.replaceFirst("^\\s*\\* ?", ""));
            }
            out.add(lines);
        }
        return out;
    }

    /**
     * Extracts the Java code blocks of one section of a Markdown file.
     *
     * @param markdown a Markdown file
     * @param heading the heading line of the section, for example {@code ## The ring}
     * @return the Java code blocks of that section
     */
    public static List<List<String>> markdown(Path markdown, String heading) {
        String text = read(markdown);
        int start = text.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new IllegalArgumentException("no such heading: heading=" + heading + ", file=" + markdown);
        }
        int end = text.indexOf("\n## ", start + heading.length() + 1);
        Matcher m = MARKDOWN.matcher(text.substring(start, end < 0 ? text.length() : end));
        List<List<String>> out = new ArrayList<>();
        while (m.find()) {
            out.add(List.of(m.group(1).split("\\R")));
        }
        return out;
    }

    /**
     * Whether a snippet is compiled in a file: its groups of lines (split at blank lines and at
     * lines holding only a comment, which are not looked for) appear in the file in order, each
     * as consecutive lines (indentation ignored, names normalised), so that a test may wrap each
     * group in the code that runs it, for example a producer in a thread.
     *
     * @param snippet a snippet's lines
     * @param compiled a compiled source file
     * @return whether every group appears, in order
     */
    public static boolean appearsIn(List<String> snippet, Path compiled) {
        List<String> have = new ArrayList<>();
        for (String l : read(compiled).split("\\R")) {
            have.add(l.trim().replaceAll("\\bname\\b(?!\\s*\\()", "NAME"));
        }
        int from = 0;
        for (List<String> group : groups(snippet)) {
            from = find(have, group, from);
            if (from < 0) {
                return false;
            }
            from += group.size();
        }
        return true;
    }

    private static List<List<String>> groups(List<String> snippet) {
        List<List<String>> out = new ArrayList<>();
        List<String> group = new ArrayList<>();
        for (String l : snippet) {
            String t = l.trim();
            if (t.isEmpty() || t.startsWith("//")) {
                if (!group.isEmpty()) {
                    out.add(group);
                    group = new ArrayList<>();
                }
            } else {
                group.add(t.replaceAll("\"/[^\"]*\"", "NAME"));
            }
        }
        if (!group.isEmpty()) {
            out.add(group);
        }
        return out;
    }

    private static int find(List<String> have, List<String> group, int from) {
        for (int i = from; i + group.size() <= have.size(); i++) {
            if (have.subList(i, i + group.size()).equals(group)) {
                return i;
            }
        }
        return -1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: file=" + file, e);
        }
    }
}
