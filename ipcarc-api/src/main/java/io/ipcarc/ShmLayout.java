package io.ipcarc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The byte layout of a payload type, as described by the text stored in every segment header.
 *
 * <p>A layout is derived from its descriptor alone, so a tool that does not have the Java
 * class can still decode a payload ({@link #format(SharedView, int)}). The grammar is:
 * <pre>
 * layout  := scalar | array | struct | bytes | string | enum
 * scalar  := "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "bool" | "char"
 * array   := (scalar | struct | string | enum) "[" length "]"
 * struct  := name "{" member ("," member)* "}"      member := ident ":" layout
 * bytes   := "bytes" ("&lt;" tag "&gt;")? "[" length "]"
 * string  := "utf8" "[" length "]"
 * enum    := name "(" ident ("," ident)* ")"
 * </pre>
 * Layout rules are the C ones, so a C program can declare the same struct: every scalar is
 * aligned to its size ({@code bool} is one byte holding 0 or 1, {@code char} is an unsigned
 * 16-bit code unit); an array is aligned like its element; a struct is aligned to its most
 * aligned member, its members are placed in declaration order each at the next offset that
 * fits its alignment, and its size is rounded up to its alignment; raw bytes are aligned to 8;
 * a string is {@code char s[n]} (UTF-8, NUL-padded, alignment 1); an enum is its constant's
 * ordinal as {@code uint8_t} (at most 256 constants) or {@code uint16_t} (at most 65536).
 * All values are in the platform's native byte order.
 */
public abstract sealed class ShmLayout
        permits ShmLayout.Scalar, ShmLayout.Array, ShmLayout.Struct, ShmLayout.Bytes, ShmLayout.Utf8, ShmLayout.Enumeration {

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
     * Decodes a value of this layout to plain data, for tools that write it as JSON: a scalar as
     * its boxed value ({@code char} as a one-character {@code String}), a string as a
     * {@code String}, an enum as its constant's name, an array as a {@code List}, a struct as a
     * {@code Map} of its members in declaration order, a raw region as its {@link #format} text.
     *
     * @param buffer the memory holding the value
     * @param offset where the value starts in {@code buffer}
     * @return for example {@code {x=1, y=2.5}} as a {@code Map<String, Object>}
     */
    public abstract Object toTree(SharedView buffer, int offset);

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

    /**
     * The first difference between two layouts, for a type-mismatch message: the path of the
     * field and the two kinds there, for example {@code field qty: expected i64, found i32},
     * {@code field side: enum constant 1: expected SELL, found HOLD} or
     * {@code type name: expected Position, found my.pkg.Position}.
     *
     * @param expected the layout a program asked for
     * @param found the layout stored in a segment
     * @return the first difference, or {@code null} if the descriptors are equal
     */
    public static String difference(ShmLayout expected, ShmLayout found) {
        return difference("", expected, found);
    }

    /**
     * {@link #difference(ShmLayout, ShmLayout)} for a stored descriptor that may not even parse.
     *
     * @param expected the layout a program asked for
     * @param foundDescriptor the descriptor stored in a segment
     * @return the first difference, or {@code null} if the descriptors are equal
     */
    public static String difference(ShmLayout expected, String foundDescriptor) {
        if (expected.descriptor().equals(foundDescriptor)) {
            return null;
        }
        ShmLayout found;
        try {
            found = parse(foundDescriptor);
        } catch (IllegalArgumentException e) {
            return "expected " + shortly(expected.descriptor()) + ", found an unreadable descriptor " + shortly(foundDescriptor);
        }
        String d = difference(expected, found);
        return d != null ? d : "expected " + shortly(expected.descriptor()) + ", found " + shortly(foundDescriptor);
    }

    private static String difference(String path, ShmLayout e, ShmLayout f) {
        if (e.descriptor().equals(f.descriptor())) {
            return null;
        }
        String at = path.isEmpty() ? "" : "field " + path + ": ";
        if (e instanceof Struct es && f instanceof Struct fs) {
            if (!es.name.equals(fs.name)) {
                return at + "type name: expected " + es.name + ", found " + fs.name;
            }
            int n = Math.min(es.members.size(), fs.members.size());
            for (int i = 0; i < n; i++) {
                Member em = es.members.get(i);
                Member fm = fs.members.get(i);
                String sub = path.isEmpty() ? em.name() : path + "." + em.name();
                if (!em.name().equals(fm.name())) {
                    return "field " + (path.isEmpty() ? "" : path + ".") + "#" + i + ": expected " + em.name() + ", found "
                            + fm.name();
                }
                String d = difference(sub, em.layout(), fm.layout());
                if (d != null) {
                    return d;
                }
            }
            if (es.members.size() > n) {
                String sub = (path.isEmpty() ? "" : path + ".") + es.members.get(n).name();
                return "field " + sub + ": expected " + shortly(es.members.get(n).layout().descriptor()) + ", found none";
            }
            String sub = (path.isEmpty() ? "" : path + ".") + fs.members.get(n).name();
            return "field " + sub + ": expected none, found " + shortly(fs.members.get(n).layout().descriptor());
        }
        if (e instanceof Enumeration ee && f instanceof Enumeration fe) {
            if (!ee.name.equals(fe.name)) {
                return at + "enum name: expected " + ee.name + ", found " + fe.name;
            }
            int n = Math.min(ee.constants.size(), fe.constants.size());
            for (int i = 0; i < n; i++) {
                if (!ee.constants.get(i).equals(fe.constants.get(i))) {
                    return at + "enum " + ee.name + " constant " + i + ": expected " + ee.constants.get(i) + ", found "
                            + fe.constants.get(i);
                }
            }
            return at + "enum " + ee.name + " constant " + n + ": expected "
                    + (ee.constants.size() > n ? ee.constants.get(n) : "none") + ", found "
                    + (fe.constants.size() > n ? fe.constants.get(n) : "none");
        }
        if (e instanceof Array ea && f instanceof Array fa) {
            if (ea.length != fa.length) {
                return at + "array length: expected " + ea.length + ", found " + fa.length;
            }
            return difference(path + "[]", ea.elementLayout, fa.elementLayout);
        }
        return at + "expected " + shortly(e.descriptor()) + ", found " + shortly(f.descriptor());
    }

    /** A descriptor as a message shows it: whole up to 120 characters, else its start. */
    private static String shortly(String descriptor) {
        return descriptor.length() <= 120 ? descriptor : descriptor.substring(0, 117) + "...";
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

        @Override
        public Object toTree(SharedView buffer, int offset) {
            Object v = kind.read(buffer, offset);
            return kind == Kind.CHAR ? String.valueOf(v) : v;
        }
    }

    /** A fixed-length array of scalars, records, strings or enums, laid out inline. */
    public static final class Array extends ShmLayout {
        private final ShmLayout elementLayout;
        private final int length;

        /**
         * Creates the layout of an inline array of scalars, {@code element.size() * length} bytes.
         *
         * @param element the element kind
         * @param length the number of elements, at least 1
         */
        public Array(Kind element, int length) {
            this(new Scalar(element), length);
        }

        /**
         * Creates the layout of an inline array, {@code element.size() * length} bytes, C rules
         * (the element's size is already a multiple of its alignment).
         *
         * @param element the element layout: a scalar, a struct, a string or an enum
         * @param length the number of elements, at least 1
         */
        public Array(ShmLayout element, int length) {
            Objects.requireNonNull(element, "element");
            if (element instanceof Array || element instanceof Bytes) {
                throw new IllegalArgumentException("array elements must be scalars, structs, strings or enums: element="
                        + element.descriptor());
            }
            if (length < 1) {
                throw new IllegalArgumentException("array length must be at least 1: length=" + length);
            }
            this.elementLayout = element;
            this.length = length;
            if ((long) element.size() * length > MAX_SIZE) {
                throw new IllegalArgumentException("array too large: element=" + element.descriptor()
                        + ", length=" + length + ", bytes=" + (long) element.size() * length + ", max=" + MAX_SIZE);
            }
        }

        /**
         * The kind of each element, for an array of scalars.
         *
         * @return the element kind, or {@code null} when the elements are not scalars (see {@link #elementLayout()})
         */
        public Kind element() {
            return elementLayout instanceof Scalar sc ? sc.kind() : null;
        }

        /**
         * The layout of each element.
         *
         * @return the element layout
         */
        public ShmLayout elementLayout() {
            return elementLayout;
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
            return elementLayout.size() * length;
        }

        @Override
        public int alignment() {
            return elementLayout.alignment();
        }

        @Override
        public String descriptor() {
            return elementLayout.descriptor() + "[" + length + "]";
        }

        @Override
        public String format(SharedView buffer, int offset) {
            StringBuilder sb = new StringBuilder("[");
            int step = elementLayout.size();
            for (int i = 0; i < length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(elementLayout.format(buffer, offset + i * step));
            }
            return sb.append(']').toString();
        }

        @Override
        public Object toTree(SharedView buffer, int offset) {
            List<Object> values = new ArrayList<>(length);
            int step = elementLayout.size();
            for (int i = 0; i < length; i++) {
                values.add(elementLayout.toTree(buffer, offset + i * step));
            }
            return values;
        }
    }

    /**
     * A string of at most {@code capacity} bytes of UTF-8, stored in place like the C member
     * {@code char s[capacity]}: the UTF-8 bytes, then NUL bytes up to the capacity (none when
     * the string fills it). Its value is the bytes before the first NUL (all of them if there is
     * none), so a string never contains U+0000. Alignment 1.
     */
    public static final class Utf8 extends ShmLayout {
        private final int capacity;

        /**
         * Creates the layout of an in-place string.
         *
         * @param capacity bytes of UTF-8 it can hold, at least 1
         */
        public Utf8(int capacity) {
            if (capacity < 1 || capacity > MAX_SIZE) {
                throw new IllegalArgumentException("a string needs a capacity of 1 to " + MAX_SIZE + " bytes: capacity="
                        + capacity);
            }
            this.capacity = capacity;
        }

        /**
         * The capacity of the string.
         *
         * @return bytes of UTF-8 it can hold
         */
        public int capacity() {
            return capacity;
        }

        @Override
        public int size() {
            return capacity;
        }

        @Override
        public int alignment() {
            return 1;
        }

        @Override
        public String descriptor() {
            return "utf8[" + capacity + "]";
        }

        @Override
        public String format(SharedView buffer, int offset) {
            return quote(Utf8Codec.read(buffer, offset, capacity, "string"));
        }

        @Override
        public Object toTree(SharedView buffer, int offset) {
            return Utf8Codec.read(buffer, offset, capacity, "string");
        }

        /**
         * Quotes a string the way {@link #format} shows it: in double quotes, with backslash, double
         * quote and control characters escaped (backslash-n, backslash-u and four hex digits, ...),
         * which is also a JSON string.
         *
         * @param s the string
         * @return the quoted text
         */
        public static String quote(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
    }

    /**
     * An enum: the ordinal of a constant, stored as {@code uint8_t} when there are at most 256
     * constants, else as {@code uint16_t} (at most 65536). The descriptor lists the constant
     * names in order, so programs whose enums differ in names or order are of different types.
     */
    public static final class Enumeration extends ShmLayout {
        /** Most constants an enum stored in shared memory may have. */
        public static final int MAX_CONSTANTS = 65536;
        private final String name;
        private final List<String> constants;

        /**
         * Creates the layout of an enum.
         *
         * @param name the enum's name in descriptors (its binary class name, or its {@link ShmName})
         * @param constants the constant names, in ordinal order
         */
        public Enumeration(String name, List<String> constants) {
            this.name = Objects.requireNonNull(name, "name");
            if (constants.isEmpty() || constants.size() > MAX_CONSTANTS) {
                throw new IllegalArgumentException("an enum needs 1 to " + MAX_CONSTANTS + " constants: name=" + name
                        + ", constants=" + constants.size());
            }
            this.constants = List.copyOf(constants);
        }

        /**
         * The name of the enum.
         *
         * @return the enum's name in descriptors
         */
        public String name() {
            return name;
        }

        /**
         * The constants of the enum.
         *
         * @return the constant names, in ordinal order
         */
        public List<String> constants() {
            return constants;
        }

        @Override
        public int size() {
            return constants.size() <= 256 ? 1 : 2;
        }

        @Override
        public int alignment() {
            return size();
        }

        @Override
        public String descriptor() {
            return name + "(" + String.join(",", constants) + ")";
        }

        /**
         * Reads the stored ordinal, checked against the number of constants.
         *
         * @param buffer the memory
         * @param offset where the value is
         * @param what the component, for the message
         * @return the ordinal, in range
         * @throws CorruptSegmentException if the stored ordinal names no constant
         */
        public int ordinal(SharedView buffer, int offset, String what) {
            int ordinal = size() == 1 ? buffer.getByte(offset) & 0xff : buffer.getChar(offset);
            if (ordinal >= constants.size()) {
                throw outOfRange(name, what, ordinal, constants.size());
            }
            return ordinal;
        }

        static CorruptSegmentException outOfRange(String name, String what, int ordinal, int count) {
            return new CorruptSegmentException("stored enum ordinal out of range: " + what + ", enum=" + name + ", ordinal="
                    + ordinal + ", constants=" + count + " (written by a program with another enum, or damaged)", null);
        }

        @Override
        public String format(SharedView buffer, int offset) {
            return constants.get(ordinal(buffer, offset, "enum"));
        }

        @Override
        public Object toTree(SharedView buffer, int offset) {
            return format(buffer, offset);
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

        @Override
        public Object toTree(SharedView buffer, int offset) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Member m : members) {
                values.put(m.name(), m.layout().toTree(buffer, offset + m.offset()));
            }
            return values;
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

        @Override
        public Object toTree(SharedView buffer, int offset) {
            return format(buffer, offset);
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
            ShmLayout element = element(word);
            if (peek('[')) {
                return new Array(element, length());
            }
            return element;
        }

        private ShmLayout element(String word) {
            Kind kind = Kind.forToken(word);
            if (kind != null) {
                return new Scalar(kind);
            }
            if (word.equals("utf8")) {
                return new Utf8(length());
            }
            if (tryConsume('(')) {
                List<String> constants = new ArrayList<>();
                do {
                    String c = word();
                    if (c.isEmpty()) {
                        throw error("expected an enum constant");
                    }
                    constants.add(c);
                } while (tryConsume(','));
                expect(')');
                return new Enumeration(word, constants);
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
