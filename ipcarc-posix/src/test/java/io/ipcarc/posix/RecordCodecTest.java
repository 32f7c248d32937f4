package io.ipcarc.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcarc.Guard;
import io.ipcarc.IpcArc;
import io.ipcarc.ShmArray;
import io.ipcarc.testing.ShmNames;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records through both decoders: the generated one (public records of primitives) and the
 * method-handle one (nested records, arrays, records the generated class cannot reach).
 */
class RecordCodecTest {
    private final ShmNames names = new ShmNames();

    /** Every primitive kind: decoded by generated code. */
    public record AllKinds(byte b, short s, char c, int i, long l, float f, double d, boolean z) {
    }

    /** Rejects negative values in its constructor. */
    public record Positive(int v) {
        /** @param v must not be negative */
        public Positive {
            if (v < 0) {
                throw new IllegalArgumentException("negative: " + v);
            }
        }
    }

    /** Nested record and array: decoded by the method-handle tree. */
    public record Holder(Positive p, @ShmArray(2) int[] xs) {
    }

    /** Not public: the generated class could not call its constructor. */
    private record Hidden(long a, int b) {
    }

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldRoundTripEveryPrimitiveKind() {
        AllKinds v = new AllKinds((byte) -7, (short) -300, 'Z', Integer.MIN_VALUE, Long.MAX_VALUE, 1.5f, -2.25, true);
        try (IpcArc<AllKinds> arc = IpcArc.create(names.next("kinds"), v)) {
            assertThat(arc.read()).isEqualTo(v);
            AllKinds w = new AllKinds((byte) 1, (short) 2, 'a', 3, -4, -0.5f, 1e300, false);
            try (Guard<AllKinds> g = arc.acquire()) {
                assertThat(g.get()).isEqualTo(v);
                g.set(w);
            }
            assertThat(arc.read()).isEqualTo(w);
        }
    }

    @Test
    void shouldRoundTripARecordThatIsNotPublic() {
        try (IpcArc<Hidden> arc = IpcArc.create(names.next("hidden"), new Hidden(5, 6))) {
            assertThat(arc.read()).isEqualTo(new Hidden(5, 6));
        }
    }

    @Test
    void shouldReportAConstructorThatRejectsTheStoredValue() {
        try (IpcArc<Positive> arc = IpcArc.create(names.next("reject"), new Positive(1))) {
            try (Guard<Positive> g = arc.acquire()) {
                g.buffer().putInt(0, -1);
                assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("record constructor rejected the stored value")
                        .hasMessageContaining(Positive.class.getName());
            }
            assertThatThrownBy(arc::read).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("record constructor rejected the stored value");
        }
    }

    @Test
    void shouldReportAConstructorThatRejectsTheStoredValueInANestedRecord() {
        try (IpcArc<Holder> arc = IpcArc.create(names.next("nested"), new Holder(new Positive(1), new int[] {2, 3}))) {
            Holder h = arc.read();
            assertThat(h.p()).isEqualTo(new Positive(1));
            assertThat(Arrays.equals(h.xs(), new int[] {2, 3})).isTrue();
            try (Guard<Holder> g = arc.acquire()) {
                g.buffer().putInt(0, -1);
            }
            assertThatThrownBy(arc::read).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("record constructor rejected the stored value");
        }
    }

    @Test
    void shouldRefuseAnArrayOfTheWrongLengthBeforeWritingAnything() {
        try (IpcArc<Holder> arc = IpcArc.create(names.next("array"), new Holder(new Positive(1), new int[] {2, 3}))) {
            try (Guard<Holder> g = arc.acquire()) {
                assertThatThrownBy(() -> g.set(new Holder(new Positive(9), new int[] {1})))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=1");
            }
            assertThat(arc.read().p()).as("nothing was written").isEqualTo(new Positive(1));
        }
    }
}
