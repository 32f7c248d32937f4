package io.ipcarc.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and nulls as JSON text. */
final class Json {
    private Json() {
    }

    /**
     * @param value a Map with String keys, a List, a CharSequence, a Number (a non-finite one as a
     *     string), a Boolean or null
     * @return its JSON text, pretty-printed with two-space indents
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.toString();
    }

    /**
     * @param value as for {@link #write}
     * @return its JSON text on one line (for a stream of documents, one per line)
     */
    static String writeLine(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, null);
        return sb.toString();
    }

    /** @param indent the current indent, or {@code null} for one line */
    private static void write(StringBuilder sb, Object v, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
            string(sb, v.toString()); // JSON has no NaN or Infinity: written as the strings "NaN", "Infinity"
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            container(sb, m.entrySet().iterator(), '{', '}', indent, (e, in) -> {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                string(sb, String.valueOf(entry.getKey()));
                sb.append(": ");
                write(sb, entry.getValue(), in);
            });
        } else if (v instanceof List<?> l) {
            container(sb, l.iterator(), '[', ']', indent, (e, in) -> write(sb, e, in));
        } else {
            string(sb, v.toString());
        }
    }

    private interface Element {
        void write(Object e, String indent);
    }

    private static void container(StringBuilder sb, Iterator<?> it, char open, char close, String indent, Element el) {
        if (!it.hasNext()) {
            sb.append(open).append(close);
            return;
        }
        if (indent == null) {
            sb.append(open);
            while (it.hasNext()) {
                el.write(it.next(), null);
                sb.append(it.hasNext() ? ", " : "");
            }
            sb.append(close);
            return;
        }
        String inner = indent + "  ";
        sb.append(open).append('\n');
        while (it.hasNext()) {
            sb.append(inner);
            el.write(it.next(), inner);
            sb.append(it.hasNext() ? ",\n" : "\n");
        }
        sb.append(indent).append(close);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append(io.ipcarc.ShmLayout.Utf8.quote(s)); // JSON's escapes: the same as the decoded strings'
    }
}
