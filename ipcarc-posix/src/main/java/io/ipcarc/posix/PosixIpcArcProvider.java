package io.ipcarc.posix;

import io.ipcarc.ArcOptions;
import io.ipcarc.CorruptSegmentException;
import io.ipcarc.IpcArc;
import io.ipcarc.Removal;
import io.ipcarc.SegmentInfo;
import io.ipcarc.SegmentExistsException;
import io.ipcarc.SegmentNotFoundException;
import io.ipcarc.ShmType;
import java.util.List;
import java.util.Objects;
import io.ipcarc.posix.segment.SegmentInspector;
import io.ipcarc.posix.segment.SegmentOpener;
import io.ipcarc.posix.segment.SegmentRemover;

/**
 * The POSIX implementation of IpcArc, registered for {@link java.util.ServiceLoader} in
 * META-INF/services. Linux only.
 */
public final class PosixIpcArcProvider implements io.ipcarc.spi.IpcArcProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public PosixIpcArcProvider() {
    }

    @Override
    public <T> IpcArc<T> create(String name, ShmType<T> type, T value, ArcOptions options) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(options, "options");
        return new PosixIpcArc<>(SegmentOpener.create(name, type, value, options));
    }

    @Override
    public <T> IpcArc<T> load(String name, ShmType<T> type, ArcOptions options) {
        Objects.requireNonNull(options, "options");
        return new PosixIpcArc<>(SegmentOpener.load(name, type, options));
    }

    @Override
    public <T> IpcArc<T> openOrCreate(String name, ShmType<T> type, T value, ArcOptions options) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(options, "options");
        long deadline = System.nanoTime() + options.readyTimeout().toNanos() * 2;
        while (true) {
            try {
                return new PosixIpcArc<>(SegmentOpener.load(name, type, options));
            } catch (SegmentNotFoundException e) {
                // nobody has it: try to be the creator
            } catch (CorruptSegmentException e) {
                if (!SegmentOpener.removeIfAbandoned(name) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                return new PosixIpcArc<>(SegmentOpener.create(name, type, value, options));
            } catch (SegmentExistsException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                // someone else created it first: load theirs
            }
        }
    }

    @Override
    public List<SegmentInfo> list(boolean includeForeign) {
        return SegmentInspector.list(includeForeign);
    }

    @Override
    public SegmentInfo inspect(String name) {
        return SegmentInspector.inspect(name);
    }

    @Override
    public Removal remove(SegmentInfo segment, boolean force) {
        return SegmentRemover.remove(Objects.requireNonNull(segment, "segment"), force);
    }
}
