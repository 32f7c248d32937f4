package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArc;
import io.ipcarc.SharedView;
import io.ipcarc.ShmLayout;
import io.ipcarc.ShmType;
import io.ipcarc.TypeMismatchException;
import java.nio.charset.StandardCharsets;

/** The key and value types of a map: from classes and options, from what a map stores, and the check between them. */
final class MapTypes {
    private MapTypes() {
    }

    static <K> ShmType<K> keyType(Class<K> keyClass, MapOptions options) {
        return typeOf(keyClass, options.keyCapacity(), "key", "withKeyCapacity");
    }

    static <V> ShmType<V> valueType(Class<V> valueClass, MapOptions options) {
        return typeOf(valueClass, options.valueCapacity(), "value", "withValueCapacity");
    }

    @SuppressWarnings("unchecked")
    private static <T> ShmType<T> typeOf(Class<T> cls, int capacity, String what, String option) {
        java.util.Objects.requireNonNull(cls, what + "Class");
        if (cls == String.class || cls == byte[].class) {
            if (capacity < 1) {
                throw new IllegalArgumentException(cls.getSimpleName() + " " + what + "s need a capacity: use MapOptions."
                        + option + "(bytes)");
            }
            return (ShmType<T>) (cls == String.class ? ShmType.string(capacity) : ShmType.bytes(capacity));
        }
        return ShmType.of(cls);
    }

    /** Loads a segment that must be a map of this layout. */
    @SuppressWarnings("unchecked")
    static IpcArc<byte[]> loadSegment(String name) {
        IpcArc<Object> any = IpcArc.load(name);
        ShmLayout layout = any.type().layout();
        if (!(layout instanceof ShmLayout.Bytes b) || !TYPE_TAG.equals(b.tag())) {
            String found = any.type().descriptor();
            any.close();
            throw new TypeMismatchException("not a map: name=" + any.name() + ", found=" + found + ", expected=bytes<" + TYPE_TAG
                    + ">[...]", any.name());
        }
        return (IpcArc<byte[]>) (IpcArc<?>) any;
    }

    static String storedKeyLayout(IpcArc<byte[]> arc, Geometry g) {
        return stored(arc.buffer(), g.descriptorsOffset(), g.keyDescriptorLength(), KEY_FINGERPRINT_OFFSET, "key", arc.name());
    }

    static String storedValueLayout(IpcArc<byte[]> arc, Geometry g) {
        return stored(arc.buffer(), g.valueDescriptorOffset(), g.valueDescriptorLength(), VALUE_FINGERPRINT_OFFSET, "value",
                arc.name());
    }

    /** A stored descriptor, checked against its fingerprint. */
    static String stored(SharedView b, int offset, int length, int fingerprintOffset, String what, String name) {
        byte[] bytes = new byte[length];
        b.getBytes(offset, bytes, 0, length);
        String d = new String(bytes, StandardCharsets.UTF_8);
        if (ShmLayout.fingerprint(d) != b.getLong(fingerprintOffset)) {
            throw new CorruptSegmentException("map " + what + " descriptor does not match its fingerprint: name=" + name
                    + ", fingerprint=0x" + Long.toHexString(b.getLong(fingerprintOffset)), name);
        }
        return d;
    }

    /** The type of a class, taking a string's or byte array's capacity from what the map stores. */
    @SuppressWarnings("unchecked")
    static <T> ShmType<T> storedOrClass(Class<T> cls, String stored, boolean key, String name) {
        ShmLayout l;
        try {
            l = ShmLayout.parse(stored);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException("map " + (key ? "key" : "value") + " descriptor unreadable: name=" + name
                    + ", descriptor=" + stored, name, e);
        }
        if (cls == String.class && l instanceof ShmLayout.Utf8 u) {
            return (ShmType<T>) ShmType.string(u.capacity());
        }
        if (cls == byte[].class && l instanceof ShmLayout.Bytes b && b.tag() == null) {
            return (ShmType<T>) ShmType.bytes(b.size());
        }
        if (cls == String.class || cls == byte[].class) {
            throw mismatch(name, key, cls.getSimpleName(), stored);
        }
        return ShmType.of(cls);
    }

    /** Refuses a map whose stored types differ from these, naming the first difference. */
    static void check(IpcArc<byte[]> arc, Geometry g, ShmType<?> keyType, ShmType<?> valueType) {
        String keys = storedKeyLayout(arc, g);
        String values = storedValueLayout(arc, g);
        if (!keys.equals(keyType.descriptor())) {
            throw new TypeMismatchException("map keys are of another type: name=" + arc.name() + ", "
                    + ShmLayout.difference(keyType.layout(), keys) + ", stored=" + keys, arc.name(), keyType.descriptor(), keys);
        }
        if (!values.equals(valueType.descriptor())) {
            throw new TypeMismatchException("map values are of another type: name=" + arc.name() + ", "
                    + ShmLayout.difference(valueType.layout(), values) + ", stored=" + values, arc.name(), valueType.descriptor(),
                    values);
        }
    }

    private static TypeMismatchException mismatch(String name, boolean key, String expected, String stored) {
        return new TypeMismatchException("map " + (key ? "keys" : "values") + " are of another type: name=" + name
                + ", expected=" + expected + ", stored=" + stored, name, expected, stored);
    }
}
