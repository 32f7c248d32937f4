package io.ipcarc;

/**
 * Checks and normalises segment names: {@code "name"} and {@code "/name"} denote the same
 * segment, {@code "/name"}.
 *
 * <p>A name is 1 to {@value #MAX_NAME_BYTES} characters of the POSIX portable filename character
 * set, {@code A-Z a-z 0-9 . _ -}, after an optional leading {@code /}, and is neither {@code .}
 * nor {@code ..}. Those characters are single bytes in every locale, so a name always maps to
 * the same file in /dev/shm whatever {@code LANG} or {@code sun.jnu.encoding} says, and every
 * process (Java, C, Python) that uses the name finds the same object.
 */
public final class SegmentNames {

    /** Longest name, in characters (= bytes) without the leading slash: the file-name limit. */
    public static final int MAX_NAME_BYTES = 255;

    private SegmentNames() {
    }

    /**
     * Normalises a name to a leading slash.
     *
     * @param name {@code "counter"} or {@code "/counter"}
     * @return {@code "/counter"}
     * @throws IllegalArgumentException naming the rule the name breaks
     */
    public static String normalize(String name) {
        if (name == null) {
            throw new IllegalArgumentException("bad segment name: name must not be null");
        }
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("bad segment name: name must not be empty: name=" + name);
        }
        if (bare.length() > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("bad segment name: longer than " + MAX_NAME_BYTES
                    + " characters: length=" + bare.length());
        }
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (!portable(c)) {
                throw new IllegalArgumentException("bad segment name: only the POSIX portable filename characters"
                        + " A-Z a-z 0-9 . _ - are allowed (after an optional leading '/'): name=" + printable(name)
                        + ", index=" + (i + name.length() - bare.length()) + ", char=U+" + String.format("%04X", (int) c));
            }
        }
        if (bare.equals(".") || bare.equals("..")) {
            throw new IllegalArgumentException("bad segment name: '.' and '..' are not allowed: name=" + name);
        }
        return "/" + bare;
    }

    private static boolean portable(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }

    /**
     * Escapes a name for an error message.
     *
     * @return the name with every character outside printable ASCII escaped, for messages
     */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
