package io.ipcarc.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model test's checker finds what it must: lost acknowledged writes, reappearing keys, values nobody wrote. */
class ModelCheckerTest {
    @TempDir
    Path dir;

    private ModelChecker check(Map<Long, Long> actual, String... lines) throws IOException {
        Files.write(dir.resolve("w.log"), java.util.List.of(lines));
        return ModelChecker.read(dir, actual);
    }

    @Test
    void shouldFindALostAcknowledgedWrite() throws IOException {
        ModelChecker c = check(Map.of(1L, 10L), "B 10 P 1 100", "A 10 110", "B 11 P 1 120", "A 11 130");
        assertThat(c.violations(2)).singleElement().asString().contains("acknowledged write was lost");
    }

    @Test
    void shouldFindARemovedKeyThatReappears() throws IOException {
        ModelChecker c = check(Map.of(1L, 10L), "B 10 P 1 100", "A 10 110", "B 11 R 1 120", "A 11 130");
        assertThat(c.violations(2)).singleElement().asString().contains("acknowledged write was lost");
    }

    @Test
    void shouldFindAKeyWhoseAcknowledgedWriteVanished() throws IOException {
        ModelChecker c = check(Map.of(), "B 10 P 1 100", "A 10 110");
        assertThat(c.violations(2)).singleElement().asString().contains("no remove explains it");
    }

    @Test
    void shouldFindAValueNoOperationWrote() throws IOException {
        ModelChecker c = check(Map.of(1L, 99L), "B 10 P 1 100", "A 10 110");
        assertThat(c.violations(2)).singleElement().asString().contains("which no operation on it wrote");
    }

    @Test
    void shouldAcceptAWriteCutShortByAKillEitherWay() throws IOException {
        assertThat(check(Map.of(1L, 11L), "B 10 P 1 100", "A 10 110", "B 11 P 1 120").violations(2)).isEmpty();
        assertThat(check(Map.of(1L, 10L), "B 10 P 1 100", "A 10 110", "B 11 P 1 120").violations(2)).isEmpty();
        assertThat(check(Map.of(), "B 10 P 1 100", "A 10 110", "B 11 D 1 120").violations(2)).isEmpty();
        assertThat(check(Map.of(1L, 10L), "B 10 P 1 100", "A 10 110", "B 11 D 1 120").violations(2)).isEmpty();
    }
}
