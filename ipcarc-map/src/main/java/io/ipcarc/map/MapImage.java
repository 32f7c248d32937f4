package io.ipcarc.map;

import static io.ipcarc.map.MapDescriptor.*;

import io.ipcarc.ShmType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The payload a new map starts with, written by its creator before the segment is published
 * (so no process ever sees a half-initialised map): the header, one spare entry per stripe
 * (entries 0 to S-1, held), the never-used tail from entry S on, an empty index, the descriptors.
 */
final class MapImage {
    private MapImage() {
    }

    static Geometry plan(ShmType<?> keyType, ShmType<?> valueType, MapOptions options) {
        return Geometry.plan(options.capacity(), options.stripesToCreate(), keyType.size(), valueType.size(),
                utf8(keyType).length, utf8(valueType).length);
    }

    private static byte[] utf8(ShmType<?> t) {
        return t.descriptor().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] of(Geometry g, ShmType<?> keyType, ShmType<?> valueType) {
        byte[] img = new byte[g.payloadSize()];
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.nativeOrder());
        long id = 0;
        SecureRandom random = new SecureRandom();
        while (id == 0) {
            id = random.nextLong();
        }
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(CAPACITY_OFFSET, g.capacity())
                .putInt(ENTRY_COUNT_OFFSET, g.entries()).putInt(STRIPES_OFFSET, g.stripes())
                .putInt(INDEX_SLOTS_OFFSET, g.indexSlots()).putInt(STRIPE_SLOTS_OFFSET, g.stripeSlots())
                .putInt(INDEX_BITS_OFFSET, g.indexBits()).putInt(ENTRY_SIZE_OFFSET, g.entrySize())
                .putInt(KEY_SIZE_OFFSET, g.keySize()).putInt(VALUE_SIZE_OFFSET, g.valueSize())
                .putInt(VALUE_OFFSET_OFFSET, g.valueOffset()).putInt(KEY_DESCRIPTOR_LENGTH_OFFSET, g.keyDescriptorLength())
                .putInt(VALUE_DESCRIPTOR_LENGTH_OFFSET, g.valueDescriptorLength()).putInt(HASH_FUNCTION_OFFSET, HASH_FUNCTION)
                .putLong(KEY_FINGERPRINT_OFFSET, keyType.fingerprint()).putLong(VALUE_FINGERPRINT_OFFSET, valueType.fingerprint())
                .putLong(MAP_ID_OFFSET, id).putLong(CREATED_OFFSET, System.currentTimeMillis());
        b.putInt(BUMP_OFFSET, g.stripes());
        for (int s = 0; s < g.stripes(); s++) {
            b.putInt(stripe(g.stripes(), s) + STRIPE_SPARE, s);
            b.putInt(g.entriesOffset() + s * g.entrySize() + ENTRY_STATE, KIND_HELD);
        }
        b.put(g.descriptorsOffset(), utf8(keyType));
        b.put(g.valueDescriptorOffset(), utf8(valueType));
        return img;
    }
}
