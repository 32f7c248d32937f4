package io.ipcarc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * Reads, checks and writes one component of a record that is not a plain scalar: a string, an
 * enum, a nested record or an array. {@link #check} runs for every such component before the
 * first byte of a record is written, so a value that cannot be stored leaves the memory as it was.
 */
abstract class ComponentCodec implements RecordDecoder {
    /** {@code (SharedBuffer, int, Object) -> void} on a codec. */
    static final MethodHandle WRITE;
    /** {@code (SharedView, int) -> Object} on a codec. */
    static final MethodHandle READ;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WRITE = l.findVirtual(ComponentCodec.class, "write", MethodType.methodType(void.class, SharedBuffer.class,
                    int.class, Object.class));
            READ = l.findVirtual(ComponentCodec.class, "read", MethodType.methodType(Object.class, SharedView.class,
                    int.class));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    final ShmLayout layout;
    /** {@code class=..., component=...}, for messages. */
    final String what;

    ComponentCodec(ShmLayout layout, String what) {
        this.layout = layout;
        this.what = what;
    }

    /** Writes a value that {@link #check} accepted. */
    abstract void write(SharedBuffer b, int offset, Object value);

    /** Refuses a value that cannot be stored, before anything is written. */
    abstract void check(Object value);

    /** An in-place string. */
    static final class Text extends ComponentCodec {
        private final int capacity;

        Text(ShmLayout.Utf8 layout, String what) {
            super(layout, what);
            this.capacity = layout.capacity();
        }

        @Override
        public Object read(SharedView b, int offset) {
            return Utf8Codec.read(b, offset, capacity, what);
        }

        @Override
        void check(Object value) {
            Utf8Codec.check((String) value, capacity, what);
        }

        @Override
        void write(SharedBuffer b, int offset, Object value) {
            Utf8Codec.write(b, offset, capacity, (String) value, what);
        }
    }

    /** An enum, stored as its ordinal. */
    static final class Ordinal extends ComponentCodec {
        private final Object[] constants;
        private final boolean wide;

        Ordinal(ShmLayout.Enumeration layout, Object[] constants, String what) {
            super(layout, what);
            this.constants = constants;
            this.wide = layout.size() == 2;
        }

        @Override
        public Object read(SharedView b, int offset) {
            int ordinal = wide ? b.getChar(offset) : b.getByte(offset) & 0xff;
            if (ordinal >= constants.length) {
                throw ShmLayout.Enumeration.outOfRange(((ShmLayout.Enumeration) layout).name(), what, ordinal,
                        constants.length);
            }
            return constants[ordinal];
        }

        @Override
        void check(Object value) {
            Objects.requireNonNull(value, () -> "enum is null: " + what + " (null is not stored)");
        }

        @Override
        void write(SharedBuffer b, int offset, Object value) {
            int ordinal = ((Enum<?>) value).ordinal();
            if (wide) {
                b.putChar(offset, (char) ordinal);
            } else {
                b.putByte(offset, (byte) ordinal);
            }
        }
    }

    /** A nested record, or a record element of an array. */
    static final class Nested extends ComponentCodec {
        private final ShmType<Object> type;
        private final Checker checker;

        /** What a record type checks before it writes. */
        interface Checker {
            void check(Object value);
        }

        Nested(ShmType<Object> type, Checker checker, String what) {
            super(type.layout(), what);
            this.type = type;
            this.checker = checker;
        }

        @Override
        public Object read(SharedView b, int offset) {
            return type.read(b, offset);
        }

        @Override
        void check(Object value) {
            Objects.requireNonNull(value, () -> "nested record is null: " + what);
            checker.check(value);
        }

        @Override
        void write(SharedBuffer b, int offset, Object value) {
            type.write(b, offset, value);
        }
    }

    /** An inline array of primitives, records, enums or strings. */
    static final class Elements extends ComponentCodec {
        private final int length;
        private final int step;
        private final Class<?> elementClass;
        /** For non-primitive elements, else null. */
        private final ComponentCodec element;
        /** For primitive elements, else null. */
        private final ShmLayout.Kind kind;

        Elements(ShmLayout.Array layout, Class<?> elementClass, ComponentCodec element, String what) {
            super(layout, what);
            this.length = layout.length();
            this.step = layout.elementLayout().size();
            this.elementClass = elementClass;
            this.element = element;
            this.kind = layout.element();
        }

        @Override
        public Object read(SharedView b, int offset) {
            if (kind != null) {
                return readPrimitives(b, offset);
            }
            Object[] out = (Object[]) java.lang.reflect.Array.newInstance(elementClass, length);
            for (int i = 0; i < length; i++) {
                out[i] = element.read(b, offset + i * step);
            }
            return out;
        }

        private Object readPrimitives(SharedView b, int offset) {
            switch (kind) {
                case I64 -> {
                    long[] a = new long[length];
                    for (int i = 0; i < length; i++) {
                        a[i] = b.getLong(offset + 8 * i);
                    }
                    return a;
                }
                case I32 -> {
                    int[] a = new int[length];
                    for (int i = 0; i < length; i++) {
                        a[i] = b.getInt(offset + 4 * i);
                    }
                    return a;
                }
                case F64 -> {
                    double[] a = new double[length];
                    for (int i = 0; i < length; i++) {
                        a[i] = b.getDouble(offset + 8 * i);
                    }
                    return a;
                }
                case I8 -> {
                    byte[] a = new byte[length];
                    b.getBytes(offset, a, 0, length);
                    return a;
                }
                default -> {
                    Object a = java.lang.reflect.Array.newInstance(elementClass, length);
                    for (int i = 0; i < length; i++) {
                        java.lang.reflect.Array.set(a, i, kind.read(b, offset + i * step));
                    }
                    return a;
                }
            }
        }

        @Override
        void check(Object value) {
            Objects.requireNonNull(value, () -> "array component is null: " + what);
            int len = java.lang.reflect.Array.getLength(value);
            if (len != length) {
                throw new IllegalArgumentException("array length differs from @ShmArray: " + what + ", length=" + len
                        + ", declared=" + length);
            }
            if (element != null) {
                Object[] a = (Object[]) value;
                for (int i = 0; i < length; i++) {
                    if (a[i] == null) {
                        throw new NullPointerException("array element is null: " + what + ", index=" + i);
                    }
                    element.check(a[i]);
                }
            }
        }

        @Override
        void write(SharedBuffer b, int offset, Object value) {
            if (kind == ShmLayout.Kind.I64) {
                long[] a = (long[]) value;
                for (int i = 0; i < length; i++) {
                    b.putLong(offset + 8 * i, a[i]);
                }
            } else if (kind == ShmLayout.Kind.I8) {
                b.putBytes(offset, (byte[]) value, 0, length);
            } else if (kind != null) {
                for (int i = 0; i < length; i++) {
                    kind.write(b, offset + i * step, java.lang.reflect.Array.get(value, i));
                }
            } else {
                Object[] a = (Object[]) value;
                for (int i = 0; i < length; i++) {
                    element.write(b, offset + i * step, a[i]);
                }
            }
        }
    }
}
