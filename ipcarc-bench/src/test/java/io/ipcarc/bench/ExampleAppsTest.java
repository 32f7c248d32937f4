package io.ipcarc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.examples.Tick;
import org.junit.jupiter.api.Test;

class ExampleAppsTest {
    @Test
    void shouldDeclareTheAppsTickWithTheAppsDescriptor() {
        assertThat(ExampleApps.Tick.TYPE.descriptor()).isEqualTo(Tick.TYPE.descriptor())
                .startsWith("io.ipcarc.examples.Tick{");
        assertThat(ExampleApps.Tick.TYPE.fingerprint()).isEqualTo(Tick.TYPE.fingerprint());
    }

    @Test
    void shouldNameTheAppsMainClass() {
        assertThat(ExampleApps.MAIN).isEqualTo(io.ipcarc.examples.Main.class.getName());
    }
}
