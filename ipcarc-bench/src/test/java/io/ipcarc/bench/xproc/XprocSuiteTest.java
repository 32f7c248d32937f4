package io.ipcarc.bench.xproc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XprocSuiteTest {
    @Test
    void shouldShowAThirdDecimalOnlyWhereTwoWouldRoundARatioOntoItsLimit() {
        assertThat(XprocSuite.ratio(11_329_549.0 / 11_384_323.0, 1.0)).isEqualTo("0.995");
        assertThat(XprocSuite.ratio(1.004, 1.0)).isEqualTo("1.004");
        assertThat(XprocSuite.ratio(1.0, 1.0)).isEqualTo("1.00");
        assertThat(XprocSuite.ratio(1.496, 1.5)).isEqualTo("1.496");
        assertThat(XprocSuite.ratio(1.26, 1.0)).isEqualTo("1.26");
        assertThat(XprocSuite.ratio(0.98, 1.0)).isEqualTo("0.98");
    }
}
