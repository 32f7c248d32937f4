package io.ipcarc.bench.map;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/**
 * How Chronicle Map stores a {@link Rec8}: its eight longs, 64 bytes, the way Chronicle's docs
 * have a user write a marshaller for a fixed-size value (without one, Chronicle falls back to
 * Java serialization, which would not be a fair baseline).
 */
public final class Rec8Marshaller implements SizedReader<Rec8>, SizedWriter<Rec8>, EnumMarshallable<Rec8Marshaller> {
    /** The one instance (Chronicle stores the marshaller's class in the map's header). */
    public static final Rec8Marshaller INSTANCE = new Rec8Marshaller();

    private Rec8Marshaller() {
    }

    @Override
    public Rec8 read(Bytes<?> in, long size, Rec8 using) {
        return new Rec8(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong());
    }

    @Override
    public long size(Rec8 toWrite) {
        return Rec8.SIZE;
    }

    @Override
    public void write(Bytes<?> out, long size, Rec8 v) {
        out.writeLong(v.a());
        out.writeLong(v.b());
        out.writeLong(v.c());
        out.writeLong(v.d());
        out.writeLong(v.e());
        out.writeLong(v.f());
        out.writeLong(v.g());
        out.writeLong(v.h());
    }

    @Override
    public Rec8Marshaller readResolve() {
        return INSTANCE;
    }
}
