package io.ipcarc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The byte layout of a payload type, as described by the text stored in every segment header.
 *
 * <p>A layout is derived from its descriptor alone, so a tool that does not have the Java
 * class can still decode a payload ({@link #format(SharedView, int)}). The grammar is:
 * <pre>
 * layout  := scalar | array | struct | bytes
 * scalar  := "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "bool" | "char"
 * array   := scalar "[" length "]"
 * struct  := name "{" member ("," member)* "}"      member := ident ":" layout
 * bytes   := "bytes" ("&lt;" tag "&gt;")? "[" length "]"
 * </pre>
 * Layout rules are the C ones, so a C program can declare the same struct: every scalar is
 * aligned to its size ({@code bool} is one byte holding 0 or 1, {@code char} is an unsigned
 * 16-bit code unit); an array is aligned like its element; a struct is aligned to its most
 * aligned member, its members are placed in declaration order each at the next offset that
 * fits its alignment, and its size is rounded up to its alignment; raw bytes are aligned to 8.
 * All values are in the platform's native byte order.
 */
public abstract sealed class ShmLayout permits ShmLayout.Scalar, ShmLayout.Array, ShmLayout.Struct, ShmLayout.Bytes {

    /** Largest descriptor accepted, in bytes of UTF-8. */
    public static final int MAX_DESCRIPTOR_BYTES = 16 * 1024;

    /**
     * The largest size of any layout, in bytes: the largest multiple of 64 an int holds, so that
     * no size or offset computation overflows. A segment holding it must still fit its own limit
     * (checked when it is created).
     */
    public static final int MAX_SIZE = Integer.MAX_VALUE & ~63;

    private ShmLayout() {
    }

    /**
     * The size of a value of this layout.
     *
     * @return size in bytes
     */
    public abstract int size();

    /**
     * The alignment a value of this layout needs.
     *
     * @return alignment in bytes, a power of two
     */
    public abstract int alignment();

    /**
     * The canonical descriptor text of this layout.
     *
     * @return text that {@link #parse(String)} turns back into an equal layout
     */
    public abstract String descriptor();

    /**
     * Decodes a value of this layout to text, for people and tools that do not have the class.
     *
     * @param buffer the memory holding the value
     * @param offset where the value starts in {@code buffer}
     * @return for example {@code Point{x=1, y=2.5}}
     */
    public abstract String format(SharedView buffer, int offset);

    /**
     * The 64-bit fingerprint of this layout, stored in segment headers.
     *
     * @return the fingerprint of {@link #descriptor()}
     */
    public long fingerprint() {
        return fingerprint(descriptor());
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof ShmLayout other && other.descriptor().equals(descriptor());
    }

    @Override
    public final int hashCode() {
        return descriptor().hashCode();
    }

    @Override
    public final String toString() {
        return descriptor();
    }

    /**
     * FNV-1a, 64 bits, over the UTF-8 bytes of a descriptor. Documented in docs/design.md so
     * other languages can compute it.
     *
     * @param descriptor a descriptor text
     * @return its fingerprint
     */
    public static long fingerprint(String descriptor) {
        long h = 0xcbf29ce484222325L;
        for (byte b : descriptor.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * Parses a descriptor.
     *
     * @param descriptor the text, as stored in a segment header
     * @return the layout it describes
     * @throws IllegalArgumentException if the text does not follow the grammar
     */
    public static ShmLayout parse(String descriptor) {
        Objects.requireNonNull(descriptor, "descriptor");
        if (descriptor.getBytes(StandardCharsets.UTF_8).length > MAX_DESCRIPTOR_BYTES) {
            throw new IllegalArgumentException("descriptor too long: bytes>" + MAX_DESCRIPTOR_BYTES);
        }
        Parser p = new Parser(descriptor);
        ShmLayout layout = p.layout();
        if (p.pos != descriptor.length()) {
            throw p.error("unexpected text after the layout");
        }
        return layout;
    }

    static int alignUp(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** The scalar kinds a layout is made of. */
    public enum Kind {
        /** Signed 8-bit integer, Java {@code byte}. */
        I8("i8", 1),
        /** Signed 16-bit integer, Java {@code short}. */
        I16("i16", 2),
        /** Signed 32-bit integer, Java {@code int}. */
        I32("i32", 4),
        /** Signed 64-bit integer, Java {@code long}. */
        I64("i64", 8),
        /** IEEE 754 binary32, Java {@code float}. */
        F32("f32", 4),
        /** IEEE 754 binary64, Java {@code double}. */
        F64("f64", 8),
        /** One byte, 0 or 1, Java {@code boolean}. */
        BOOL("bool", 1),
        /** Unsigned 16-bit UTF-16 code unit, Java {@code char}. */
        CHAR("char", 2);

        private final String token;
        private final int size;

        Kind(String token, int size) {
            this.token = token;
            this.size = size;
        }

        /**
         * The token that names this kind in descriptors.
         *
         * @return the descriptor token, for example {@code i64}
         */
        public String token() {
            return token;
        }

        /**
         * The size of one value of this kind; it is also its C alignment.
         *
         * @return size and alignment in bytes
         */
        public int size() {
            return size;
        }

        /**
         * Reads one value of this kind.
         *
         * @param b the memory
         * @param offset where the value is
         * @return the boxed value
         */
        public Object read(SharedView b, int offset) {
            return switch (this) {
                case I8 -> b.getByte(offset);
                case I16 -> b.getShort(offset);
                case I32 -> b.getInt(offset);
                case I64 -> b.getLong(offset);
                case F32 -> b.getFloat(offset);
                case F64 -> b.getDouble(offset);
                case BOOL -> b.getByte(offset) != 0;
                case CHAR -> b.getChar(offset);
            };
        }

        /**
         * Writes one value of this kind.
         *
         * @param b the memory
         * @param offset where the value goes
         * @param value the boxed value, of this kind's Java type
         */
        public void write(SharedBuffer b, int offset, Object value) {
            switch (this) {
                case I8 -> b.putByte(offset, (Byte) value);
                case I16 -> b.putShort(offset, (Short) value);
                case I32 -> b.putInt(offset, (Integer) value);
                case I64 -> b.putLong(offset, (Long) value);
                case F32 -> b.putFloat(offset, (Float) value);
                case F64 -> b.putDouble(offset, (Double) value);
                case BOOL -> b.putByte(offset, ((Boolean) value) ? (byte) 1 : (byte) 0);
                case CHAR -> b.putChar(offset, (Character) value);
                default -> throw new IllegalStateException("kind without a store: kind=" + this);
            }
        }

        static Kind forToken(String token) {
            for (Kind k : values()) {
                if (k.token.equals(token)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A single scalar value. */
    public static final class Scalar extends ShmLayout {
        private final Kind kind;

        /**
         * Creates the layout of one scalar value.
         *
         * @param kind the scalar kind
         */
        public Scalar(Kind kind) {
            this.kind = Objects.requireNonNull(kind);
        }

        /**
         * The kind of this scalar.
         *
         * @return the scalar kind
         */
        public Kind kind() {
            return kind;
        }

        @Override
        public int size() {
            return kind.size;
        }

        @Override
        public int alignment() {
            return kind.size;
        }

        @Override
        public String descriptor() {
            return kind.token;
        }

        @Override
        public String format(SharedView buffer, int offset) {
            Object v = kind.read(buffer, offset);
            return kind == Kind.CHAR ? "'" + v + "'" : String.valueOf(v);
        }
    }

    /** A fixed-length array of scalars, laid out inline. */
    public static final class Array extends ShmLayout {
        private final Kind element;
        private final int length;

        /**
         * Creates the layout of an inline array of scalars, {@code element.size() * length} bytes.
         *
         * @param element the element kind
         * @param length the number of elements, at least 1
         */
        public Array(Kind element, int length) {
            if (length < 1) {
                throw new IllegalArgumentException("array length must be at least 1: length=" + length);
            }
            this.element = Objects.requireNonNull(element);
            this.length = length;
            if ((long) element.size * length > MAX_SIZE) {
                throw new IllegalArgumentException("array too large: element=" + element.name().toLowerCase(java.util.Locale.ROOT)
                        + ", length=" + length + ", bytes=" + (long) element.size * length + ", max=" + MAX_SIZE);
            }
        }

        /**
         * The kind of each element.
         *
         * @return the element kind
         */
        public Kind element() {
            return element;
        }

        /**
         * The length of the array.
         *
         * @return the number of elements
         */
        public int length() {
            return length;
        }

        @Override
        public int size() {
            return element.size * length;
        }

        @Override
        public int alignment() {
            return element.size;
        }

        @Override
        public String descriptor() {
            return element.token + "[" + length + "]";
        }

        @Override
        public String format(SharedView buffer, int offset) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(new Scalar(element).format(buffer, offset + i * element.size));
            }
            return sb.append(']').toString();
        }
    }

    /**
     * One named member of a {@link Struct}, at its computed offset.
     *
     * @param name the member's name, as declared (for records the component name)
     * @param offset the member's offset in bytes from the start of the struct, C-aligned
     * @param layout the member's layout
     */
    public record Member(String name, int offset, ShmLayout layout) {
    }

    /** A C struct: named members in declaration order with C alignment. */
    public static final class Struct extends ShmLayout {
        private final String name;
        private final List<Member> members;
        private final int size;
        private final int alignment;

        /**
         * Lays out members with the C rules.
         *
         * @param name the struct's name, for records the class's binary name
         * @param names the member names, in order
         * @param layouts the member layouts, in the same order
         */
        public Struct(String name, List<String> names, List<ShmLayout> layouts) {
            if (names.isEmpty() || names.size() != layouts.size()) {
                throw new IllegalArgumentException("a struct needs at least one member: name=" + name);
            }
            this.name = Objects.requireNonNull(name);
            List<Member> placed = new ArrayList<>(names.size());
            long offset = 0;
            int align = 1;
            for (int i = 0; i < names.size(); i++) {
                ShmLayout l = layouts.get(i);
                offset = (offset + l.alignment() - 1) & -l.alignment();
                if (offset + l.size() > MAX_SIZE) {
                    throw new IllegalArgumentException("struct too large: name=" + name + ", member=" + names.get(i)
                            + ", bytes>" + MAX_SIZE);
                }
                placed.add(new Member(names.get(i), (int) offset, l));
                offset += l.size();
                align = Math.max(align, l.alignment());
            }
            this.members = List.copyOf(placed);
            this.alignment = align;
            this.size = alignUp((int) offset, align);
        }

        /**
         * The name of the struct.
         *
         * @return the struct's name
         */
        public String name() {
            return name;
        }

        /**
         * The members of the struct.
         *
         * @return the members with their offsets, in declaration order
         */
        public List<Member> members() {
            return members;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int alignment() {
            return alignment;
        }

        @Override
        public String descriptor() {
            StringBuilder sb = new StringBuilder(name).append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(members.get(i).name()).append(':').append(members.get(i).layout().descriptor());
            }
            return sb.append('}').toString();
        }

        @Override
        public String format(SharedView buffer, int offset) {
            int dot = name.lastIndexOf('.');
            String simple = name.substring(dot + 1);
            simple = simple.substring(simple.lastIndexOf('$') + 1);
            StringBuilder sb = new StringBuilder(simple).append('{');
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(m.name()).append('=').append(m.layout().format(buffer, offset + m.offset()));
            }
            return sb.append('}').toString();
        }
    }

    /** A raw region of bytes, accessed through {@link SharedBuffer}; the tag names its inner layout. */
    public static final class Bytes extends ShmLayout {
        private final String tag;
        private final int length;

        /**
         * Creates the layout of an opaque run of bytes, aligned to 8.
         *
         * @param tag what the bytes hold, for example {@code ipcarc.ring/1}, or {@code null}
         * @param length the number of bytes, at least 1
         */
        public Bytes(String tag, int length) {
            if (length < 1 || length > MAX_SIZE) {
                throw new IllegalArgumentException("a byte region needs 1 to " + MAX_SIZE + " bytes: length=" + length);
            }
            if (tag != null && !tag.matches("[A-Za-z0-9_.$/-]+")) {
                throw new IllegalArgumentException("bad tag: allowed are letters, digits and _.$/- : tag=" + tag);
            }
            this.tag = tag;
            this.length = length;
        }

        /**
         * The tag that names what the bytes hold.
         *
         * @return the tag, or {@code null}
         */
        public String tag() {
            return tag;
        }

        /**
         * The length of the region in bytes.
         *
         * @return the number of bytes
         */
        public int length() {
            return length;
        }

        @Override
        public int size() {
            return length;
        }

        @Override
        public int alignment() {
            return 8;
        }

        @Override
        public String descriptor() {
            return tag == null ? "bytes[" + length + "]" : "bytes<" + tag + ">[" + length + "]";
        }

        @Override
        public String format(SharedView buffer, int offset) {
            int shown = Math.min(length, 32);
            StringBuilder sb = new StringBuilder(descriptor()).append(' ');
            for (int i = 0; i < shown; i++) {
                sb.append(String.format("%02x", buffer.getByte(offset + i) & 0xff));
            }
            return sb.append(shown < length ? "..." : "").toString();
        }
    }

    private static final class Parser {
        /** Deepest nesting of structs a descriptor may have (records nest far less in practice). */
        private static final int MAX_DEPTH = 64;
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        ShmLayout layout() {
            String word = word();
            if (word.isEmpty()) {
                throw error("expected a layout");
            }
            if (word.equals("bytes")) {
                String tag = null;
                if (peek('<')) {
                    pos++;
                    int end = s.indexOf('>', pos);
                    if (end < 0) {
                        throw error("missing '>'");
                    }
                    tag = s.substring(pos, end);
                    pos = end + 1;
                }
                return new Bytes(tag, length());
            }
            Kind kind = Kind.forToken(word);
            if (kind != null) {
                if (peek('[')) {
                    return new Array(kind, length());
                }
                return new Scalar(kind);
            }
            expect('{');
            if (++depth > MAX_DEPTH) {
                throw error("structs nested deeper than " + MAX_DEPTH);
            }
            List<String> names = new ArrayList<>();
            List<ShmLayout> layouts = new ArrayList<>();
            do {
                String member = word();
                if (member.isEmpty()) {
                    throw error("expected a member name");
                }
                expect(':');
                names.add(member);
                layouts.add(layout());
            } while (tryConsume(','));
            expect('}');
            depth--;
            return new Struct(word, names, layouts);
        }

        private int length() {
            expect('[');
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos || pos - start > 9) {
                throw error("expected a length");
            }
            int n = Integer.parseInt(s.substring(start, pos));
            expect(']');
            return n;
        }

        private String word() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$') {
                    pos++;
                } else {
                    break;
                }
            }
            return s.substring(start, pos);
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private boolean tryConsume(char c) {
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!tryConsume(c)) {
                throw error("expected '" + c + "'");
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad descriptor: " + what + " at position " + pos + ": descriptor=" + s);
        }
    }
}
