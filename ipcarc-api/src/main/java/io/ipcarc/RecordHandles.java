package io.ipcarc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Builds the method-handle trees that decode and encode a record in shared memory. A record is
 * read by one handle {@code (SharedView, int) -> Object} that loads every component with its
 * typed accessor and calls the canonical constructor directly, and written by one handle
 * {@code (SharedBuffer, int, Object) -> void}; after its first calls the JVM compiles each tree
 * as a single piece of code, without reflection, argument arrays or boxing.
 */
final class RecordHandles {
    /** Type of a reader: {@code (buffer, offset) -> value}. */
    static final MethodType READER = MethodType.methodType(Object.class, SharedView.class, int.class);
    /** Type of a writer: {@code (buffer, offset, value) -> void}. */
    static final MethodType WRITER = MethodType.methodType(void.class, SharedBuffer.class, int.class, Object.class);

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodHandle PLUS = find(RecordHandles.class, "plus", int.class, int.class, int.class);
    private static final MethodHandle REJECTED = find(RecordHandles.class, "rejected", Object.class, String.class,
            RuntimeException.class);

    private RecordHandles() {
    }

    /**
     * The handle that loads one scalar of {@code kind}.
     *
     * @param kind a scalar kind
     * @return {@code (SharedView, int) -> primitive}
     */
    static MethodHandle scalarReader(ShmLayout.Kind kind) {
        return switch (kind) {
            case BOOL -> find(RecordHandles.class, "getBoolean", boolean.class, SharedView.class, int.class);
            default -> virtual(SharedView.class, "get" + suffix(kind), primitive(kind), int.class);
        };
    }

    /**
     * The handle that stores one scalar of {@code kind}.
     *
     * @param kind a scalar kind
     * @return {@code (SharedBuffer, int, primitive) -> void}
     */
    static MethodHandle scalarWriter(ShmLayout.Kind kind) {
        return switch (kind) {
            case BOOL -> find(RecordHandles.class, "putBoolean", void.class, SharedBuffer.class, int.class, boolean.class);
            default -> virtual(SharedBuffer.class, "put" + suffix(kind), void.class, int.class, primitive(kind));
        };
    }

    /**
     * Shifts the offset argument of a reader or writer handle by a constant.
     *
     * @param h a handle whose second parameter is an offset
     * @param offset what to add to that offset
     * @return the handle reading or writing {@code offset} bytes further
     */
    static MethodHandle atOffset(MethodHandle h, int offset) {
        return offset == 0 ? h : MethodHandles.filterArguments(h, 1, MethodHandles.insertArguments(PLUS, 1, offset));
    }

    /**
     * Combines component readers into a reader of the whole record.
     *
     * @param ctor the canonical constructor, accessible
     * @param components one {@code (SharedView, int) -> Ci} per constructor parameter, already at its offset
     * @return a {@link #READER}
     */
    static MethodHandle reader(Constructor<?> ctor, MethodHandle[] components) {
        MethodHandle h;
        try {
            h = LOOKUP.unreflectConstructor(ctor);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("record constructor not accessible: class=" + ctor.getDeclaringClass().getName(), e);
        }
        Class<?> cls = ctor.getDeclaringClass();
        MethodHandle handler = MethodHandles.insertArguments(REJECTED, 0, cls.getName())
                .asType(MethodType.methodType(cls, RuntimeException.class));
        h = MethodHandles.catchException(h, RuntimeException.class,
                MethodHandles.dropArguments(handler, 1, ctor.getParameterTypes()));
        for (int i = components.length - 1; i >= 0; i--) {
            h = MethodHandles.collectArguments(h, i, components[i]);
        }
        int[] reorder = new int[components.length * 2];
        for (int i = 0; i < reorder.length; i++) {
            reorder[i] = i % 2;
        }
        return MethodHandles.permuteArguments(h.asType(h.type().changeReturnType(Object.class)), READER, reorder);
    }

    /**
     * Combines component writers into a writer of the whole record.
     *
     * @param accessors the component accessors, accessible
     * @param components one {@code (SharedBuffer, int, Ci) -> void} per component, already at its offset
     * @return a {@link #WRITER}
     */
    static MethodHandle writer(Method[] accessors, MethodHandle[] components) {
        MethodHandle h = null;
        for (int i = components.length - 1; i >= 0; i--) {
            MethodHandle w = MethodHandles.filterArguments(components[i], 2, getter(accessors[i]));
            h = h == null ? w : MethodHandles.foldArguments(h, w);
        }
        return h;
    }

    /**
     * The handle that gets one component of a record, with its result typed as the component.
     *
     * @param accessor a record component accessor, accessible
     * @return {@code (Object) -> Ci}
     */
    static MethodHandle getter(Method accessor) {
        try {
            MethodHandle g = LOOKUP.unreflect(accessor);
            return g.asType(MethodType.methodType(accessor.getReturnType(), Object.class));
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("record accessor not accessible: method=" + accessor, e);
        }
    }

    static String suffix(ShmLayout.Kind kind) {
        return switch (kind) {
            case I8 -> "Byte";
            case I16 -> "Short";
            case I32 -> "Int";
            case I64 -> "Long";
            case F32 -> "Float";
            case F64 -> "Double";
            case CHAR -> "Char";
            case BOOL -> throw new AssertionError(kind);
        };
    }

    private static Class<?> primitive(ShmLayout.Kind kind) {
        return switch (kind) {
            case I8 -> byte.class;
            case I16 -> short.class;
            case I32 -> int.class;
            case I64 -> long.class;
            case F32 -> float.class;
            case F64 -> double.class;
            case CHAR -> char.class;
            case BOOL -> boolean.class;
        };
    }

    private static MethodHandle virtual(Class<?> owner, String name, Class<?> ret, Class<?>... params) {
        try {
            return LOOKUP.findVirtual(owner, name, MethodType.methodType(ret, params));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static MethodHandle find(Class<?> owner, String name, Class<?> ret, Class<?>... params) {
        try {
            return LOOKUP.findStatic(owner, name, MethodType.methodType(ret, params));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static int plus(int a, int b) {
        return a + b;
    }

    static boolean getBoolean(SharedView b, int offset) {
        return b.getByte(offset) != 0;
    }

    private static void putBoolean(SharedBuffer b, int offset, boolean value) {
        b.putByte(offset, value ? (byte) 1 : (byte) 0);
    }

    static Object rejected(String cls, RuntimeException e) {
        throw new IllegalStateException("record constructor rejected the stored value: class=" + cls + ", cause=" + e, e);
    }
}
