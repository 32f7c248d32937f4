package io.ipcarc;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Generates, for a record, a hidden class whose {@code read} is the code one would write by hand:
 * {@code return new R(b.getLong(off + 0), (String) parts[1].read(b, off + 8), ...);}: a direct
 * load for each primitive component, and a call of the component's {@link ComponentCodec} (a
 * string, an enum, a nested record, an array) for the others, each from its own call site. The
 * JIT compiles it like any other method, so a read costs the loads and the allocations of the
 * values; the method-handle tree of {@link RecordHandles} remains the path for records (or
 * component types) the generated class could not access.
 *
 * <p>A constructor that throws is reported as {@link IllegalStateException}, as on the
 * method-handle path. The class file uses version 49 so that its one exception handler needs
 * no stack map frames.
 */
final class RecordDecoderGenerator {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String BUFFER = "io/ipcarc/SharedView";

    private final ByteArrayOutputStream pool = new ByteArrayOutputStream();
    private final DataOutputStream cp = new DataOutputStream(pool);
    private final Map<String, Integer> entries = new HashMap<>();
    private int next = 1;

    private RecordDecoderGenerator() {
    }

    /**
     * Generates a hidden class that reads a record of scalar components with direct loads.
     *
     * @param ctor the canonical constructor
     * @param kinds the kind of each primitive parameter, null for the others
     * @param parts the codec of each other parameter, null for primitives
     * @param offsets the offset of each component in the record
     * @return the decoder, or null if the record's class, its constructor or a component's class
     *     is not reachable from this package (then use the method-handle path)
     */
    static RecordDecoder generate(Constructor<?> ctor, ShmLayout.Kind[] kinds, ComponentCodec[] parts, int[] offsets) {
        Class<?> cls = ctor.getDeclaringClass();
        if (!accessible(cls) || !Modifier.isPublic(ctor.getModifiers())) {
            return null;
        }
        Class<?>[] types = ctor.getParameterTypes();
        for (Class<?> t : types) {
            if (!accessible(t)) {
                return null;
            }
        }
        try {
            byte[] bytes = new RecordDecoderGenerator().classFile(cls, types, kinds, offsets);
            Class<?> hidden = LOOKUP.defineHiddenClass(bytes, true).lookupClass();
            return (RecordDecoder) hidden.getDeclaredConstructor(RecordDecoder[].class).newInstance((Object) parts.clone());
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static boolean accessible(Class<?> type) {
        Class<?> cls = type;
        while (cls.isArray()) {
            cls = cls.getComponentType();
        }
        if (cls.isPrimitive() || cls == String.class) {
            return true;
        }
        for (Class<?> c = cls; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        // On the module path this module reads only what it requires: it reads the record's module
        // from now on, so that a public record in a package exported to it is accessible.
        Module self = RecordDecoderGenerator.class.getModule();
        if (self.isNamed() && cls.getModule().isNamed()) {
            self.addReads(cls.getModule());
        }
        try {
            if (Class.forName(cls.getName(), false, RecordDecoderGenerator.class.getClassLoader()) != cls) {
                return false;
            }
            LOOKUP.accessClass(cls);
            return true;
        } catch (ClassNotFoundException | IllegalAccessException e) {
            return false;
        }
    }

    /** The constant-pool indexes of what the class header and the two methods refer to. */
    private static final class Refs {
        private int thisClass;
        private int superClass;
        private int iface;
        private int objectInit;
        private int partsField;
        private int recordClass;
        private int recordInit;
        /** Per component: the getter of a primitive, else 0. */
        private int[] getters;
        /** Per component: the class a codec's result is cast to, else 0. */
        private int[] casts;
        private int partRead;
        /** Per component: an integer constant for an offset too large for {@code sipush}, else 0. */
        private int[] offsetConstants;
        private int runtimeException;
        private int name;
        private int rejected;
        private int initName;
        private int initDesc;
        private int readName;
        private int readDesc;
        private int fieldName;
        private int fieldDesc;
        private int codeAttr;
    }

    /** The bytecode of {@code read} and what its Code attribute needs besides. */
    private record ReadCode(byte[] code, int maxStack, int tryStart, int tryEnd, int handler) {
    }

    private byte[] classFile(Class<?> cls, Class<?>[] types, ShmLayout.Kind[] kinds, int[] offsets) {
        try {
            Refs r = refs(cls, types, kinds, offsets);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(out);
            header(o, r);
            method(o, 0x0001, r.initName, r.initDesc, r.codeAttr, 2, 2, initCode(r), null);
            ReadCode read = readCode(r, kinds, offsets);
            method(o, 0x0001, r.readName, r.readDesc, r.codeAttr, read.maxStack(), 3, read.code(),
                    new int[] {read.tryStart(), read.tryEnd(), read.handler(), r.runtimeException});
            o.writeShort(0); // class attributes
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the constant pool, in the order the class file's bytes depend on, and returns the indexes. */
    private Refs refs(Class<?> cls, Class<?>[] types, ShmLayout.Kind[] kinds, int[] offsets) throws IOException {
        Refs r = new Refs();
        String self = "io/ipcarc/RecordDecoder$" + cls.getSimpleName();
        String record = cls.getName().replace('.', '/');
        StringBuilder desc = new StringBuilder("(");
        for (Class<?> t : types) {
            desc.append(t.descriptorString());
        }
        desc.append(")V");
        String partsDesc = "[Lio/ipcarc/RecordDecoder;";
        r.thisClass = classRef(self);
        r.superClass = classRef("java/lang/Object");
        r.iface = classRef("io/ipcarc/RecordDecoder");
        r.objectInit = methodRef(false, "java/lang/Object", "<init>", "()V");
        r.partsField = fieldRef(self, "parts", partsDesc);
        r.recordClass = classRef(record);
        r.recordInit = methodRef(false, record, "<init>", desc.toString());
        r.getters = new int[types.length];
        r.casts = new int[types.length];
        r.partRead = methodRef(true, "io/ipcarc/RecordDecoder", "read", "(L" + BUFFER + ";I)Ljava/lang/Object;");
        for (int i = 0; i < types.length; i++) {
            ShmLayout.Kind k = kinds[i];
            if (k == null) {
                r.casts[i] = classRef(types[i].isArray() ? types[i].descriptorString() : types[i].getName().replace('.', '/'));
            } else {
                r.getters[i] = k == ShmLayout.Kind.BOOL
                        ? methodRef(false, "io/ipcarc/RecordHandles", "getBoolean", "(L" + BUFFER + ";I)Z")
                        : methodRef(true, BUFFER, "get" + RecordHandles.suffix(k), "(I)" + descriptor(k));
            }
        }
        r.offsetConstants = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            r.offsetConstants[i] = offsets[i] > Short.MAX_VALUE ? integer(offsets[i]) : 0;
        }
        r.runtimeException = classRef("java/lang/RuntimeException");
        r.name = string(cls.getName());
        r.rejected = methodRef(false, "io/ipcarc/RecordHandles", "rejected",
                "(Ljava/lang/String;Ljava/lang/RuntimeException;)Ljava/lang/Object;");
        r.initName = utf8("<init>");
        r.initDesc = utf8("(" + partsDesc + ")V");
        r.readName = utf8("read");
        r.readDesc = utf8("(L" + BUFFER + ";I)Ljava/lang/Object;");
        r.fieldName = utf8("parts");
        r.fieldDesc = utf8(partsDesc);
        r.codeAttr = utf8("Code");
        return r;
    }

    /** Magic, version 49, the constant pool, the class's flags, names and interface, its one field, the method count. */
    private void header(DataOutputStream o, Refs r) throws IOException {
        o.writeInt(0xCAFEBABE);
        o.writeShort(0);
        o.writeShort(49);
        o.writeShort(next);
        o.write(pool.toByteArray());
        o.writeShort(0x0010 | 0x0020 | 0x1000); // final, super, synthetic
        o.writeShort(r.thisClass);
        o.writeShort(r.superClass);
        o.writeShort(1);
        o.writeShort(r.iface);
        o.writeShort(1); // fields: private final RecordDecoder[] parts
        o.writeShort(0x0002 | 0x0010);
        o.writeShort(r.fieldName);
        o.writeShort(r.fieldDesc);
        o.writeShort(0);
        o.writeShort(2); // methods
    }

    /** {@code <init>(RecordDecoder[] parts)}: {@code super(); this.parts = parts;}. */
    private static byte[] initCode(Refs r) throws IOException {
        ByteArrayOutputStream init = new ByteArrayOutputStream();
        DataOutputStream ic = new DataOutputStream(init);
        ic.writeByte(0x2a); // aload_0
        ic.writeByte(0xb7); // invokespecial
        ic.writeShort(r.objectInit);
        ic.writeByte(0x2a); // aload_0
        ic.writeByte(0x2b); // aload_1
        ic.writeByte(0xb5); // putfield parts
        ic.writeShort(r.partsField);
        ic.writeByte(0xb1); // return
        return init.toByteArray();
    }

    /**
     * {@code read(SharedView b, int off)}: {@code new R(...)} with each component loaded (a getter,
     * or {@code parts[i].read} and a cast), the constructor's exception passed to {@code rejected}.
     */
    private static ReadCode readCode(Refs r, ShmLayout.Kind[] kinds, int[] offsets) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        DataOutputStream rc = new DataOutputStream(read);
        rc.writeByte(0xbb); // new
        rc.writeShort(r.recordClass);
        rc.writeByte(0x59); // dup
        int depth = 2;
        int maxStack = 2;
        for (int i = 0; i < kinds.length; i++) {
            ShmLayout.Kind k = kinds[i];
            if (k == null) {
                rc.writeByte(0x2a); // aload_0
                rc.writeByte(0xb4); // getfield parts
                rc.writeShort(r.partsField);
                rc.writeByte(0x11); // sipush i
                rc.writeShort(i);
                rc.writeByte(0x32); // aaload
            }
            rc.writeByte(0x2b); // aload_1
            rc.writeByte(0x1c); // iload_2
            if (r.offsetConstants[i] != 0) {
                rc.writeByte(0x13); // ldc_w
                rc.writeShort(r.offsetConstants[i]);
            } else {
                rc.writeByte(0x11); // sipush
                rc.writeShort(offsets[i]);
            }
            rc.writeByte(0x60); // iadd
            maxStack = Math.max(maxStack, depth + (k == null ? 4 : 3));
            load(rc, r, k, i);
            depth += k == ShmLayout.Kind.I64 || k == ShmLayout.Kind.F64 ? 2 : 1;
            maxStack = Math.max(maxStack, depth);
        }
        int tryStart = read.size();
        rc.writeByte(0xb7); // invokespecial R.<init>
        rc.writeShort(r.recordInit);
        int tryEnd = read.size();
        rc.writeByte(0xb0); // areturn
        int handler = read.size();
        rc.writeByte(0x13); // ldc_w class name
        rc.writeShort(r.name);
        rc.writeByte(0x5f); // swap
        rc.writeByte(0xb8); // invokestatic rejected
        rc.writeShort(r.rejected);
        rc.writeByte(0xb0); // areturn
        return new ReadCode(read.toByteArray(), Math.max(maxStack, 2), tryStart, tryEnd, handler);
    }

    /** The call that loads component i, its buffer and offset on the stack: a codec's read and cast, or a getter. */
    private static void load(DataOutputStream rc, Refs r, ShmLayout.Kind k, int i) throws IOException {
        if (k == null) {
            rc.writeByte(0xb9); // invokeinterface RecordDecoder.read
            rc.writeShort(r.partRead);
            rc.writeByte(3);
            rc.writeByte(0);
            rc.writeByte(0xc0); // checkcast
            rc.writeShort(r.casts[i]);
        } else if (k == ShmLayout.Kind.BOOL) {
            rc.writeByte(0xb8); // invokestatic
            rc.writeShort(r.getters[i]);
        } else {
            rc.writeByte(0xb9); // invokeinterface
            rc.writeShort(r.getters[i]);
            rc.writeByte(2);
            rc.writeByte(0);
        }
    }

    private static void method(DataOutputStream o, int access, int name, int desc, int codeAttr, int maxStack,
                               int maxLocals, byte[] code, int[] handler) throws IOException {
        o.writeShort(access);
        o.writeShort(name);
        o.writeShort(desc);
        o.writeShort(1);
        o.writeShort(codeAttr);
        int handlers = handler == null ? 0 : 1;
        o.writeInt(2 + 2 + 4 + code.length + 2 + handlers * 8 + 2);
        o.writeShort(maxStack);
        o.writeShort(maxLocals);
        o.writeInt(code.length);
        o.write(code);
        o.writeShort(handlers);
        if (handler != null) {
            for (int h : handler) {
                o.writeShort(h);
            }
        }
        o.writeShort(0);
    }

    private static String descriptor(ShmLayout.Kind k) {
        return switch (k) {
            case I8 -> "B";
            case I16 -> "S";
            case I32 -> "I";
            case I64 -> "J";
            case F32 -> "F";
            case F64 -> "D";
            case BOOL -> "Z";
            case CHAR -> "C";
        };
    }

    /** Writes one constant-pool entry. */
    private interface PoolWrite {
        void write() throws IOException;
    }

    private int intern(String key, PoolWrite w) throws IOException {
        Integer i = entries.get(key);
        if (i != null) {
            return i;
        }
        w.write();
        entries.put(key, next);
        return next++;
    }

    private int utf8(String s) throws IOException {
        return intern("U" + s, () -> {
            cp.writeByte(1);
            cp.writeUTF(s);
        });
    }

    private int classRef(String internalName) throws IOException {
        int n = utf8(internalName);
        return intern("C" + internalName, () -> {
            cp.writeByte(7);
            cp.writeShort(n);
        });
    }

    private int string(String s) throws IOException {
        int n = utf8(s);
        return intern("S" + s, () -> {
            cp.writeByte(8);
            cp.writeShort(n);
        });
    }

    private int integer(int value) throws IOException {
        return intern("I" + value, () -> {
            cp.writeByte(3);
            cp.writeInt(value);
        });
    }

    private int fieldRef(String owner, String name, String desc) throws IOException {
        return memberRef(9, owner, name, desc);
    }

    private int methodRef(boolean onInterface, String owner, String name, String desc) throws IOException {
        return memberRef(onInterface ? 11 : 10, owner, name, desc);
    }

    /** A field (9), method (10) or interface method (11) reference, with its name-and-type entry. */
    private int memberRef(int tag, String owner, String name, String desc) throws IOException {
        int c = classRef(owner);
        int nm = utf8(name);
        int d = utf8(desc);
        cp.writeByte(12);
        cp.writeShort(nm);
        cp.writeShort(d);
        int nat = next++;
        cp.writeByte(tag);
        cp.writeShort(c);
        cp.writeShort(nat);
        return next++;
    }
}
