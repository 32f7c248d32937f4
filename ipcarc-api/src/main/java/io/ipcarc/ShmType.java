package io.ipcarc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
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
 *   <li>records whose components are primitives, nested such records, or primitive arrays
 *       whose length is given by {@link ShmArray};</li>
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
        } else if (layout instanceof ShmLayout.Struct st) {
            Class<?> cls;
            try {
                cls = Class.forName(st.name(), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new TypeMismatchException("record class not found: class=" + st.name()
                        + ", descriptor=" + descriptor + " (pass the type to load, or decode with ShmLayout)", null, e);
            }
            ShmType<?> t;
            try {
                t = of(cls);
            } catch (IllegalArgumentException e) {
                throw new TypeMismatchException("class cannot hold the stored layout: class=" + st.name()
                        + ", cause=" + e.getMessage(), null, e);
            }
            if (!t.descriptor().equals(descriptor)) {
                throw new TypeMismatchException("class layout differs from the stored one: class=" + st.name()
                        + ", stored=" + descriptor + ", class=" + t.descriptor(), null);
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

    private static ShmType<?> build(Class<?> type) {
        ShmLayout.Kind box = BOXES.get(type);
        if (box == null) {
            box = PRIMITIVES.get(type);
        }
        if (box != null) {
            return new ScalarType<>(box, type);
        }
        if (type.isRecord()) {
            return new RecordType<>(type, new HashSet<>());
        }
        throw new IllegalArgumentException("type cannot live in shared memory: class=" + type.getName()
                + " (use a boxed primitive, a record of primitives, nested records and @ShmArray arrays,"
                + " or ShmType.bytes(n))");
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

    private static final class RecordType<T> extends ShmType<T> {
        private final MethodHandle reader;
        /** Generated code for all-primitive records, else a call of {@link #reader}. */
        private final RecordDecoder decoder;
        private final MethodHandle writer;
        /** For each @ShmArray component: its index, checked before the first byte is written. */
        private final int[] arrayComponents;
        private final MethodHandle[] arrayGetters;

        RecordType(Class<?> type, Set<Class<?>> enclosing) {
            this(type, analyse(type, enclosing));
        }

        @SuppressWarnings("unchecked")
        private RecordType(Class<?> type, Analysis a) {
            super(a.layout, (Class<T>) type);
            this.reader = a.reader;
            this.decoder = a.decoder != null ? a.decoder : this::readWithHandle;
            this.writer = a.writer;
            this.arrayComponents = a.arrayComponents;
            this.arrayGetters = a.arrayGetters;
        }

        private record Analysis(ShmLayout layout, MethodHandle reader, RecordDecoder decoder, MethodHandle writer,
                                int[] arrayComponents, MethodHandle[] arrayGetters) {
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
            MethodHandle[] readers = new MethodHandle[comps.length];
            MethodHandle[] writers = new MethodHandle[comps.length];
            List<Integer> arrays = new ArrayList<>();
            for (int i = 0; i < comps.length; i++) {
                RecordComponent c = comps[i];
                Class<?> ct = c.getType();
                ctorTypes[i] = ct;
                accessors[i] = c.getAccessor();
                accessors[i].setAccessible(true);
                names.add(c.getName());
                ShmLayout.Kind kind = PRIMITIVES.get(ct);
                if (kind != null) {
                    layouts.add(new ShmLayout.Scalar(kind));
                    readers[i] = RecordHandles.scalarReader(kind);
                    writers[i] = RecordHandles.scalarWriter(kind);
                } else if (ct.isArray() && PRIMITIVES.containsKey(ct.getComponentType())) {
                    ShmArray len = c.getAnnotation(ShmArray.class);
                    if (len == null) {
                        throw new IllegalArgumentException("array component needs @ShmArray(length): class="
                                + type.getName() + ", component=" + c.getName());
                    }
                    ShmLayout.Array arr = new ShmLayout.Array(PRIMITIVES.get(ct.getComponentType()), len.value());
                    layouts.add(arr);
                    ArrayCodec codec = new ArrayCodec(arr, ct.getComponentType());
                    readers[i] = ArrayCodec.READ.bindTo(codec).asType(MethodType.methodType(ct, SharedView.class, int.class));
                    writers[i] = ArrayCodec.WRITE.bindTo(codec).asType(MethodType.methodType(void.class, SharedBuffer.class,
                            int.class, ct));
                    arrays.add(i);
                } else if (ct.isRecord()) {
                    RecordType<?> nested = new RecordType<>(ct, enclosing);
                    layouts.add(nested.layout());
                    readers[i] = nested.reader.asType(MethodType.methodType(ct, SharedView.class, int.class));
                    MethodHandle nestedWrite = MethodHandles.insertArguments(NESTED_WRITE, 0, nested);
                    writers[i] = nestedWrite.asType(MethodType.methodType(void.class, SharedBuffer.class, int.class, ct));
                } else {
                    throw new IllegalArgumentException("component type cannot live in shared memory: class="
                            + type.getName() + ", component=" + c.getName() + ", type=" + ct.getName()
                            + " (use primitives, nested records or @ShmArray primitive arrays)");
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
            ShmLayout.Struct layout = new ShmLayout.Struct(type.getName(), names, layouts);
            for (int i = 0; i < comps.length; i++) {
                int offset = layout.members().get(i).offset();
                readers[i] = RecordHandles.atOffset(readers[i], offset);
                writers[i] = RecordHandles.atOffset(writers[i], offset);
            }
            int[] arrayComponents = arrays.stream().mapToInt(Integer::intValue).toArray();
            MethodHandle[] arrayGetters = new MethodHandle[arrayComponents.length];
            for (int j = 0; j < arrayComponents.length; j++) {
                arrayGetters[j] = RecordHandles.getter(accessors[arrayComponents[j]])
                        .asType(MethodType.methodType(Object.class, Object.class));
            }
            List<ShmLayout.Kind> kinds = new ArrayList<>();
            int[] offsets = new int[comps.length];
            for (int i = 0; i < comps.length; i++) {
                offsets[i] = layout.members().get(i).offset();
                if (PRIMITIVES.containsKey(ctorTypes[i])) {
                    kinds.add(PRIMITIVES.get(ctorTypes[i]));
                }
            }
            RecordDecoder decoder = kinds.size() == comps.length ? RecordDecoderGenerator.generate(ctor, kinds, offsets) : null;
            return new Analysis(layout, RecordHandles.reader(ctor, readers), decoder, RecordHandles.writer(accessors, writers),
                    arrayComponents, arrayGetters);
        }

        private static final MethodHandle NESTED_WRITE;

        static {
            try {
                NESTED_WRITE = MethodHandles.lookup().findVirtual(RecordType.class, "writeComponent",
                        MethodType.methodType(void.class, SharedBuffer.class, int.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }

        @SuppressWarnings("unchecked")
        private void writeComponent(SharedBuffer buffer, int offset, Object value) {
            write(buffer, offset, (T) Objects.requireNonNull(value,
                    () -> "nested record is null: class=" + javaType().getName()));
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
            try {
                // Validate everything (array lengths) before the first byte is written.
                for (int j = 0; j < arrayComponents.length; j++) {
                    ShmLayout.Member m = ((ShmLayout.Struct) layout()).members().get(arrayComponents[j]);
                    ArrayCodec.checkLength(arrayGetters[j].invokeExact((Object) value), (ShmLayout.Array) m.layout(),
                            javaType(), m.name());
                }
                writer.invokeExact(buffer, offset, (Object) value);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read record component: class=" + javaType().getName(), e);
            }
        }
    }

    /** Reads and writes one {@code @ShmArray} component, element by element. */
    private static final class ArrayCodec {
        static final MethodHandle READ;
        static final MethodHandle WRITE;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                READ = l.findVirtual(ArrayCodec.class, "read", MethodType.methodType(Object.class, SharedView.class, int.class));
                WRITE = l.findVirtual(ArrayCodec.class, "write", MethodType.methodType(void.class, SharedBuffer.class,
                        int.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }

        private final ShmLayout.Array layout;
        private final Class<?> element;

        ArrayCodec(ShmLayout.Array layout, Class<?> element) {
            this.layout = layout;
            this.element = element;
        }

        static void checkLength(Object array, ShmLayout.Array layout, Class<?> owner, String name) {
            int len = java.lang.reflect.Array.getLength(Objects.requireNonNull(array,
                    () -> "array component is null: class=" + owner.getName() + ", component=" + name));
            if (len != layout.length()) {
                throw new IllegalArgumentException("array length differs from @ShmArray: class="
                        + owner.getName() + ", component=" + name + ", length=" + len + ", declared=" + layout.length());
            }
        }

        Object read(SharedView b, int offset) {
            int n = layout.length();
            int step = layout.element().size();
            Object out = java.lang.reflect.Array.newInstance(element, n);
            for (int i = 0; i < n; i++) {
                java.lang.reflect.Array.set(out, i, layout.element().read(b, offset + i * step));
            }
            return out;
        }

        void write(SharedBuffer b, int offset, Object value) {
            int step = layout.element().size();
            for (int i = 0; i < layout.length(); i++) {
                layout.element().write(b, offset + i * step, java.lang.reflect.Array.get(value, i));
            }
        }
    }
}
