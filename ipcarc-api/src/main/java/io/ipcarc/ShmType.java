package io.ipcarc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A payload type that can live in shared memory: plain old data with a fixed size and a
 * C-compatible {@link ShmLayout}.
 *
 * <p>Supported types:
 * <ul>
 *   <li>boxed primitives: {@code Long}, {@code Integer}, {@code Short}, {@code Byte},
 *       {@code Double}, {@code Float}, {@code Boolean}, {@code Character};</li>
 *   <li>records whose components are primitives, strings of a declared capacity
 *       ({@link ShmString}), enums, nested such records, or arrays of primitives, records,
 *       enums or strings whose length is given by {@link ShmArray};</li>
 *   <li>enums (stored as the constant's ordinal) and, through {@link #string(int)}, strings;</li>
 *   <li>raw regions of N bytes ({@link #bytes(int)}), read and written through the zero-copy
 *       {@link SharedBuffer} view, optionally tagged with what they hold
 *       ({@link #bytes(String, int)}).</li>
 * </ul>
 *
 * <p>Each type has a human-readable {@link #descriptor()} and a 64-bit {@link #fingerprint()};
 * both are stored in the segment header, and loading a segment with another type fails with
 * {@link TypeMismatchException} before any payload byte is read.
 *
 * <pre>{@code
 * record Point(int x, double y) {}
 * ShmType<Point> t = ShmType.of(Point.class);   // descriptor: my.pkg.Point{x:i32,y:f64}
 * }</pre>
 *
 * <p>{@link ShmName} gives a record or an enum a name of its own in descriptors, so that
 * programs with their own copies of the type agree on it.
 *
 * @param <T> the Java type of values
 */
public abstract class ShmType<T> {

    private static final Map<Class<?>, ShmLayout.Kind> BOXES = Map.of(
            Long.class, ShmLayout.Kind.I64, Integer.class, ShmLayout.Kind.I32,
            Short.class, ShmLayout.Kind.I16, Byte.class, ShmLayout.Kind.I8,
            Double.class, ShmLayout.Kind.F64, Float.class, ShmLayout.Kind.F32,
            Boolean.class, ShmLayout.Kind.BOOL, Character.class, ShmLayout.Kind.CHAR);

    private static final Map<Class<?>, ShmLayout.Kind> PRIMITIVES = Map.of(
            long.class, ShmLayout.Kind.I64, int.class, ShmLayout.Kind.I32,
            short.class, ShmLayout.Kind.I16, byte.class, ShmLayout.Kind.I8,
            double.class, ShmLayout.Kind.F64, float.class, ShmLayout.Kind.F32,
            boolean.class, ShmLayout.Kind.BOOL, char.class, ShmLayout.Kind.CHAR);

    private static final ClassValue<ShmType<?>> BY_CLASS = new ClassValue<>() {
        @Override
        protected ShmType<?> computeValue(Class<?> type) {
            return build(type);
        }
    };

    private final ShmLayout layout;
    private final Class<T> javaType;
    private final String descriptor;
    private final long fingerprint;
    private final java.util.concurrent.ConcurrentHashMap<String, StringField> stringFields =
            new java.util.concurrent.ConcurrentHashMap<>();

    ShmType(ShmLayout layout, Class<T> javaType) {
        this.layout = layout;
        this.javaType = javaType;
        this.descriptor = layout.descriptor();
        this.fingerprint = ShmLayout.fingerprint(descriptor);
    }

    /**
     * The type of a class: a boxed primitive or a plain-old-data record.
     *
     * @param type the class, for example {@code Long.class} or a record class
     * @param <T> the Java type
     * @return the shared-memory type, cached per class
     * @throws IllegalArgumentException if the class cannot be laid out in shared memory
     */
    @SuppressWarnings("unchecked")
    public static <T> ShmType<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (ShmType<T>) BY_CLASS.get(type);
    }

    /**
     * The type of a value, as used by {@link IpcArc#create(String, Object)}.
     *
     * @param value a boxed primitive, a record, or a {@code byte[]} (a raw region of its length)
     * @param <T> the Java type
     * @return the shared-memory type
     */
    @SuppressWarnings("unchecked")
    public static <T> ShmType<T> ofValue(T value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof byte[] bytes) {
            return (ShmType<T>) bytes(bytes.length);
        }
        if (value instanceof Enum<?> e) {
            return (ShmType<T>) of(e.getDeclaringClass());
        }
        return of((Class<T>) value.getClass());
    }

    /**
     * A raw region of {@code length} bytes.
     *
     * @param length the size of the region in bytes
     * @return a type whose values are byte arrays of exactly that length
     */
    public static ShmType<byte[]> bytes(int length) {
        return new BytesType(new ShmLayout.Bytes(null, length));
    }

    /**
     * A string of at most {@code capacity} bytes of UTF-8, stored in place and NUL-padded
     * (descriptor {@code utf8[capacity]}; see {@link ShmString}).
     *
     * @param capacity bytes of UTF-8, at least 1
     * @return a type whose values are strings
     */
    public static ShmType<String> string(int capacity) {
        return stringType(new ShmLayout.Utf8(capacity));
    }

    /**
     * A raw region of {@code length} bytes with a tag naming the layout inside it, so that
     * a region holding one structure cannot be loaded as another.
     *
     * @param tag for example {@code ipcarc.ring/1}; letters, digits and {@code _.$/-}
     * @param length the size of the region in bytes
     * @return a type whose values are byte arrays of exactly that length
     */
    public static ShmType<byte[]> bytes(String tag, int length) {
        return new BytesType(new ShmLayout.Bytes(Objects.requireNonNull(tag, "tag"), length));
    }

    /**
     * The type a descriptor describes, as when loading a segment without naming its type.
     * A record is found by its class name through {@code loader}.
     *
     * @param descriptor the stored descriptor
     * @param loader where to look for record classes
     * @return the type
     * @throws TypeMismatchException if a record class cannot be found or its layout differs
     * @throws IllegalArgumentException if the descriptor is malformed
     */
    public static ShmType<?> forDescriptor(String descriptor, ClassLoader loader) {
        ShmLayout layout = ShmLayout.parse(descriptor);
        if (layout instanceof ShmLayout.Scalar s) {
            for (Map.Entry<Class<?>, ShmLayout.Kind> e : BOXES.entrySet()) {
                if (e.getValue() == s.kind()) {
                    return of(e.getKey());
                }
            }
        } else if (layout instanceof ShmLayout.Bytes b) {
            return new BytesType(b);
        } else if (layout instanceof ShmLayout.Utf8 u) {
            return stringType(u);
        } else if (layout instanceof ShmLayout.Struct || layout instanceof ShmLayout.Enumeration) {
            String typeName = layout instanceof ShmLayout.Struct st ? st.name() : ((ShmLayout.Enumeration) layout).name();
            Class<?> cls;
            try {
                cls = Class.forName(typeName, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new TypeMismatchException("class not found: class=" + typeName
                        + ", descriptor=" + descriptor + " (a type renamed with @ShmName is found only by its class:"
                        + " pass the type to load, or decode with ShmLayout)", null, e);
            }
            ShmType<?> t;
            try {
                t = of(cls);
            } catch (IllegalArgumentException e) {
                throw new TypeMismatchException("class cannot hold the stored layout: class=" + typeName
                        + ", cause=" + e.getMessage(), null, e);
            }
            if (!t.descriptor().equals(descriptor)) {
                throw new TypeMismatchException("class layout differs from the stored one: class=" + typeName
                        + ", " + ShmLayout.difference(t.layout(), layout), null);
            }
            return t;
        }
        throw new TypeMismatchException("no Java type for descriptor: descriptor=" + descriptor, null);
    }

    /**
     * The C layout of values of this type.
     *
     * @return the layout of values of this type
     */
    public final ShmLayout layout() {
        return layout;
    }

    /**
     * An in-place string field of this record type, for reading it without building a
     * {@code String} (see {@link StringField}).
     *
     * @param path the component's name, or a dotted path into nested records ({@code origin.name})
     * @return the field, cached per path
     * @throws IllegalArgumentException if this type has no string field of that path
     */
    public final StringField stringField(String path) {
        Objects.requireNonNull(path, "path");
        StringField f = stringFields.get(path);
        if (f == null) {
            f = findStringField(path);
            stringFields.putIfAbsent(path, f);
        }
        return f;
    }

    private StringField findStringField(String path) {
        ShmLayout l = layout;
        int offset = 0;
        for (String part : path.split("\\.", -1)) {
            ShmLayout.Member found = null;
            if (l instanceof ShmLayout.Struct st) {
                for (ShmLayout.Member m : st.members()) {
                    if (m.name().equals(part)) {
                        found = m;
                    }
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("no such field: type=" + descriptor + ", path=" + path);
            }
            offset += found.offset();
            l = found.layout();
        }
        if (!(l instanceof ShmLayout.Utf8 u)) {
            throw new IllegalArgumentException("not a string field: type=" + descriptor + ", path=" + path + ", layout="
                    + l.descriptor());
        }
        return new StringField(path, offset, u.capacity());
    }

    /**
     * The descriptor of this type, as the segment header stores it.
     *
     * @return the canonical descriptor text stored in segment headers
     */
    public final String descriptor() {
        return descriptor;
    }

    /**
     * The fingerprint of this type, as the segment header stores it.
     *
     * @return the FNV-1a 64-bit hash of {@link #descriptor()}
     */
    public final long fingerprint() {
        return fingerprint;
    }

    /**
     * The size of a value of this type in shared memory.
     *
     * @return the size of a value in bytes
     */
    public final int size() {
        return layout.size();
    }

    /**
     * The Java class of values of this type.
     *
     * @return the Java class of values
     */
    public final Class<T> javaType() {
        return javaType;
    }

    /**
     * Reads a value from shared memory. For a consistent value, hold the lock or use
     * {@link IpcArc#read()}.
     *
     * @param buffer the memory
     * @param offset where the value starts
     * @return a new value, never {@code null}
     */
    public abstract T read(SharedView buffer, int offset);

    /**
     * Writes a value into shared memory.
     *
     * @param buffer the memory
     * @param offset where the value starts
     * @param value the value
     * @throws IllegalArgumentException if the value cannot be stored, such as an array of
     *     another length than declared
     */
    public abstract void write(SharedBuffer buffer, int offset, T value);

    @Override
    public final boolean equals(Object o) {
        return o instanceof ShmType<?> other && other.descriptor.equals(descriptor)
                && other.javaType == javaType;
    }

    @Override
    public final int hashCode() {
        return descriptor.hashCode();
    }

    @Override
    public final String toString() {
        return "ShmType[" + descriptor + "]";
    }

    private static ShmType<String> stringType(ShmLayout.Utf8 layout) {
        return new CodecType<>(new ComponentCodec.Text(layout, "type=" + layout.descriptor()), String.class);
    }

    private static ShmType<?> build(Class<?> type) {
        ShmLayout.Kind box = BOXES.get(type);
        if (box == null) {
            box = PRIMITIVES.get(type);
        }
        if (box != null) {
            return new ScalarType<>(box, type);
        }
        if (type.isEnum()) {
            return new CodecType<>(enumCodec(type, "class=" + type.getName()), type);
        }
        if (type.isRecord()) {
            return new RecordType<>(type, new HashSet<>());
        }
        throw new IllegalArgumentException("type cannot live in shared memory: class=" + type.getName()
                + " (use a boxed primitive, an enum, a record of primitives, @ShmString strings, enums, nested records"
                + " and @ShmArray arrays, ShmType.string(n) or ShmType.bytes(n))");
    }

    /**
     * The name a record or enum has in descriptors: its {@link ShmName}, else its binary name.
     *
     * @throws IllegalArgumentException if the {@link ShmName} is not a valid name
     */
    static String nameOf(Class<?> type) {
        ShmName n = type.getAnnotation(ShmName.class);
        if (n == null) {
            return type.getName();
        }
        String name = n.value();
        boolean ok = !name.isEmpty();
        for (int i = 0; i < name.length() && ok; i++) {
            char c = name.charAt(i);
            ok = Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
        }
        if (!ok || ShmLayout.Kind.forToken(name) != null || name.equals("bytes") || name.equals("utf8")) {
            throw new IllegalArgumentException("bad @ShmName: letters, digits and _.$ only, and not a scalar token, bytes"
                    + " or utf8: class=" + type.getName() + ", name=" + name);
        }
        return name;
    }

    private static final class ScalarType<T> extends ShmType<T> {
        private final ShmLayout.Kind kind;

        @SuppressWarnings("unchecked")
        ScalarType(ShmLayout.Kind kind, Class<?> type) {
            super(new ShmLayout.Scalar(kind), (Class<T>) boxOf(type));
            this.kind = kind;
        }

        private static Class<?> boxOf(Class<?> type) {
            if (!type.isPrimitive()) {
                return type;
            }
            for (Map.Entry<Class<?>, ShmLayout.Kind> e : BOXES.entrySet()) {
                if (e.getValue() == PRIMITIVES.get(type)) {
                    return e.getKey();
                }
            }
            throw new AssertionError(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(SharedView buffer, int offset) {
            return (T) kind.read(buffer, offset);
        }

        @Override
        public void write(SharedBuffer buffer, int offset, T value) {
            kind.write(buffer, offset, Objects.requireNonNull(value, "value"));
        }
    }

    private static final class BytesType extends ShmType<byte[]> {
        BytesType(ShmLayout.Bytes layout) {
            super(layout, byte[].class);
        }

        @Override
        public byte[] read(SharedView buffer, int offset) {
            byte[] out = new byte[size()];
            buffer.getBytes(offset, out, 0, out.length);
            return out;
        }

        @Override
        public void write(SharedBuffer buffer, int offset, byte[] value) {
            if (value.length != size()) {
                throw new IllegalArgumentException("byte array length differs from the region: length="
                        + value.length + ", expected=" + size());
            }
            buffer.putBytes(offset, value, 0, value.length);
        }
    }

    /** A payload that is one string ({@link #string(int)}) or one enum. */
    private static final class CodecType<T> extends ShmType<T> {
        private final ComponentCodec codec;

        @SuppressWarnings("unchecked")
        CodecType(ComponentCodec codec, Class<?> javaType) {
            super(codec.layout, (Class<T>) javaType);
            this.codec = codec;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(SharedView buffer, int offset) {
            return (T) codec.read(buffer, offset);
        }

        @Override
        public void write(SharedBuffer buffer, int offset, T value) {
            codec.check(value);
            codec.write(buffer, offset, value);
        }
    }

    /** The layout of an enum: its name and its constants' names in order. */
    private static ShmLayout.Enumeration enumLayout(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object c : type.getEnumConstants()) {
            names.add(((Enum<?>) c).name());
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("enum has no constants: class=" + type.getName());
        }
        return new ShmLayout.Enumeration(nameOf(type), names);
    }

    private static ComponentCodec enumCodec(Class<?> type, String what) {
        return new ComponentCodec.Ordinal(enumLayout(type), type.getEnumConstants(), what);
    }

    private static final class RecordType<T> extends ShmType<T> {
        private final MethodHandle reader;
        /** Generated code when the record and its components are reachable, else a call of {@link #reader}. */
        private final RecordDecoder decoder;
        private final MethodHandle writer;
        /** The components that are not plain scalars, checked before the first byte is written. */
        private final ComponentCodec[] checked;
        private final MethodHandle[] checkedGetters;

        RecordType(Class<?> type, Set<Class<?>> enclosing) {
            this(type, analyse(type, enclosing));
        }

        @SuppressWarnings("unchecked")
        private RecordType(Class<?> type, Analysis a) {
            super(a.layout, (Class<T>) type);
            this.reader = a.reader;
            this.decoder = a.decoder != null ? a.decoder : this::readWithHandle;
            this.writer = a.writer;
            this.checked = a.checked;
            this.checkedGetters = a.checkedGetters;
        }

        private record Analysis(ShmLayout layout, MethodHandle reader, RecordDecoder decoder, MethodHandle writer,
                                ComponentCodec[] checked, MethodHandle[] checkedGetters) {
        }

        private static Analysis analyse(Class<?> type, Set<Class<?>> enclosing) {
            if (!enclosing.add(type)) {
                throw new IllegalArgumentException("record contains itself: class=" + type.getName());
            }
            RecordComponent[] comps = type.getRecordComponents();
            if (comps.length == 0) {
                throw new IllegalArgumentException("record has no components: class=" + type.getName());
            }
            List<String> names = new ArrayList<>();
            List<ShmLayout> layouts = new ArrayList<>();
            Class<?>[] ctorTypes = new Class<?>[comps.length];
            Method[] accessors = new Method[comps.length];
            ShmLayout.Kind[] kinds = new ShmLayout.Kind[comps.length];
            ComponentCodec[] codecs = new ComponentCodec[comps.length];
            for (int i = 0; i < comps.length; i++) {
                RecordComponent c = comps[i];
                Class<?> ct = c.getType();
                ctorTypes[i] = ct;
                accessors[i] = c.getAccessor();
                accessors[i].setAccessible(true);
                names.add(c.getName());
                kinds[i] = PRIMITIVES.get(ct);
                if (kinds[i] != null) {
                    layouts.add(new ShmLayout.Scalar(kinds[i]));
                } else {
                    codecs[i] = codec(type, c, enclosing);
                    layouts.add(codecs[i].layout);
                }
            }
            enclosing.remove(type);
            Constructor<?> ctor;
            try {
                ctor = type.getDeclaredConstructor(ctorTypes);
                ctor.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("record has no canonical constructor: class=" + type.getName(), e);
            }
            ShmLayout.Struct layout = new ShmLayout.Struct(nameOf(type), names, layouts);
            MethodHandle[] readers = new MethodHandle[comps.length];
            MethodHandle[] writers = new MethodHandle[comps.length];
            int[] offsets = new int[comps.length];
            List<ComponentCodec> checked = new ArrayList<>();
            List<MethodHandle> checkedGetters = new ArrayList<>();
            for (int i = 0; i < comps.length; i++) {
                Class<?> ct = ctorTypes[i];
                offsets[i] = layout.members().get(i).offset();
                if (kinds[i] != null) {
                    readers[i] = RecordHandles.scalarReader(kinds[i]);
                    writers[i] = RecordHandles.scalarWriter(kinds[i]);
                } else {
                    readers[i] = ComponentCodec.READ.bindTo(codecs[i]).asType(MethodType.methodType(ct, SharedView.class,
                            int.class));
                    writers[i] = ComponentCodec.WRITE.bindTo(codecs[i]).asType(MethodType.methodType(void.class,
                            SharedBuffer.class, int.class, ct));
                    checked.add(codecs[i]);
                    checkedGetters.add(RecordHandles.getter(accessors[i]).asType(MethodType.methodType(Object.class,
                            Object.class)));
                }
                readers[i] = RecordHandles.atOffset(readers[i], offsets[i]);
                writers[i] = RecordHandles.atOffset(writers[i], offsets[i]);
            }
            RecordDecoder decoder = RecordDecoderGenerator.generate(ctor, kinds, codecs, offsets);
            return new Analysis(layout, RecordHandles.reader(ctor, readers), decoder, RecordHandles.writer(accessors, writers),
                    checked.toArray(new ComponentCodec[0]), checkedGetters.toArray(new MethodHandle[0]));
        }

        /** The codec of a component that is not a primitive. */
        private static ComponentCodec codec(Class<?> owner, RecordComponent c, Set<Class<?>> enclosing) {
            String what = "class=" + owner.getName() + ", component=" + c.getName();
            Class<?> ct = c.getType();
            ShmArray len = c.getAnnotation(ShmArray.class);
            if (ct.isArray()) {
                if (len == null) {
                    throw new IllegalArgumentException("array component needs @ShmArray(length): " + what);
                }
                Class<?> et = ct.getComponentType();
                ShmLayout.Kind kind = PRIMITIVES.get(et);
                if (kind != null) {
                    return new ComponentCodec.Elements(new ShmLayout.Array(kind, len.value()), et, null, what);
                }
                if (et.isArray()) {
                    throw new IllegalArgumentException("arrays of arrays cannot live in shared memory: " + what
                            + " (use an array of records)");
                }
                ComponentCodec element = element(et, c, what, enclosing);
                return new ComponentCodec.Elements(new ShmLayout.Array(element.layout, len.value()), et, element, what);
            }
            return element(ct, c, what, enclosing);
        }

        /** The codec of a string, enum or record, alone or as an array's element. */
        @SuppressWarnings("unchecked")
        private static ComponentCodec element(Class<?> ct, RecordComponent c, String what, Set<Class<?>> enclosing) {
            if (ct == String.class) {
                ShmString cap = c.getAnnotation(ShmString.class);
                if (cap == null) {
                    throw new IllegalArgumentException("string component needs @ShmString(capacity in bytes): " + what);
                }
                return new ComponentCodec.Text(new ShmLayout.Utf8(cap.value()), what);
            }
            if (ct.isEnum()) {
                return enumCodec(ct, what);
            }
            if (ct.isRecord()) {
                RecordType<Object> nested = new RecordType<>(ct, enclosing);
                return new ComponentCodec.Nested(nested, nested::check, what);
            }
            throw new IllegalArgumentException("component type cannot live in shared memory: " + what + ", type="
                    + ct.getName() + " (use primitives, @ShmString strings, enums, nested records or @ShmArray arrays)");
        }

        /** Refuses a value any of whose components cannot be stored, before anything is written. */
        void check(Object value) {
            try {
                for (int j = 0; j < checked.length; j++) {
                    checked[j].check(checkedGetters[j].invokeExact(value));
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read record component: class=" + javaType().getName(), e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(SharedView buffer, int offset) {
            return (T) decoder.read(buffer, offset);
        }

        private Object readWithHandle(SharedView buffer, int offset) {
            try {
                return reader.invokeExact(buffer, offset);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot construct record: class=" + javaType().getName(), e);
            }
        }

        @Override
        public void write(SharedBuffer buffer, int offset, T value) {
            Objects.requireNonNull(value, "value");
            check(value); // strings, enums, arrays, nested records: everything before the first byte is written
            try {
                writer.invokeExact(buffer, offset, (Object) value);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read record component: class=" + javaType().getName(), e);
            }
        }
    }
}
