package io.ipcarc;

import java.nio.charset.StandardCharsets;

/**
 * Checks and normalises segment names: {@code "name"} and {@code "/name"} denote the same
 * segment, {@code "/name"}.
 */
public final class SegmentNames {

    /** Longest name, in bytes of UTF-8 without the leading slash (the file-name limit). */
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
        if (bare.indexOf('/') >= 0) {
            throw new IllegalArgumentException("bad segment name: '/' allowed only as the first character: name=" + name);
        }
        if (bare.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad segment name: NUL not allowed: name=" + name.replace("\0", "\\0"));
        }
        if (bare.equals(".") || bare.equals("..")) {
            throw new IllegalArgumentException("bad segment name: '.' and '..' are not allowed: name=" + name);
        }
        int bytes = bare.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("bad segment name: longer than " + MAX_NAME_BYTES
                    + " bytes: bytes=" + bytes);
        }
        return "/" + bare;
    }
}
