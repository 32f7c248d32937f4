package io.ipcarc.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of JSON text (RFC 8259) for tests that check what a tool printed: objects as
 * {@code Map<String, Object>} in their order, arrays as {@code List<Object>}, numbers as
 * {@code Long} when integral and {@code Double} otherwise, strings, booleans and {@code null}.
 * Anything else (trailing text, a missing comma, a bad escape) is an {@link IllegalArgumentException}
 * naming the position.
 *
 * <pre>{@code
 * Map<?, ?> top = (Map<?, ?>) JsonText.parse("{\"rings\": [{\"capacity\": 1024}]}");
 * }</pre>
 */
public final class JsonText {
    private final String s;
    private int i;

    private JsonText(String s) {
        this.s = s;
    }

    /**
     * Parses one JSON document.
     *
     * @param text the document, with optional white space around it
     * @return its value
     * @throws IllegalArgumentException if it is not one well-formed JSON document
     */
    public static Object parse(String text) {
        JsonText p = new JsonText(text);
        Object v = p.value();
        p.space();
        if (p.i != text.length()) {
            throw p.error("text after the document");
        }
        return v;
    }

    private Object value() {
        space();
        if (i >= s.length()) {
            throw error("value expected");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (take('}')) {
            return m;
        }
        do {
            space();
            if (!peek('"')) {
                throw error("member name expected");
            }
            String key = string();
            space();
            expect(':');
            m.put(key, value());
            space();
        } while (take(','));
        expect('}');
        return m;
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (take(']')) {
            return l;
        }
        do {
            l.add(value());
            space();
        } while (take(','));
        expect(']');
        return l;
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            } else if (c < 0x20) {
                throw error("control character in a string");
            } else {
                sb.append(c);
            }
        }
        expect('"');
        return sb.toString();
    }

    private Object number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String n = s.substring(start, i);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("not a JSON number: " + n);
        }
        return n.matches("-?[0-9]+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, i)) {
            throw error(word + " expected");
        }
        i += word.length();
        return value;
    }

    private void space() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private boolean take(char c) {
        if (peek(c)) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!take(c)) {
            throw error("'" + c + "' expected");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not JSON: " + what + " at position=" + i + ", near="
                + s.substring(Math.max(0, i - 20), Math.min(s.length(), i + 20)));
    }
}
