package io.ipcarc.bench.xproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcarc.bench.Floors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a `--ring` run rewrites benchmarks.md: its own section, and the ring rows of the full run's floor table. */
class RingBenchTest {
    private static final String PAGE = """
            # Benchmarks

            ## Floors of the ring (suite JVM: X)

            | floor | measured | verdict |
            |---|---|---|
            | lossy ring >= 1.0x | 0.57x | **MISSED** |
            | old floor | 1 | met |
            | Kafka reporter >= 200,000 entries/s | 215,752 | met |

            %s
            ## The ring across processes

            old body

            %s

            ## Reproduce
            """.formatted(RingBench.BEGIN, RingBench.END);

    @Test
    void shouldReplaceTheRingRowsOfTheFloorTableAndKeepKafkasRow() {
        List<Floors.Floor> floors = List.of(new Floors.Floor("lossy ring >= 1.0x", "0.93x", "MISSED"),
                new Floors.Floor("zero allocation", "0.0009", "met"));
        String page = newPage(floors);
        assertThat(floorTable(page)).isEqualTo("""
                | floor | measured | verdict |
                |---|---|---|
                | lossy ring >= 1.0x | 0.93x | **MISSED** |
                | zero allocation | 0.0009 | met |
                | Kafka reporter >= 200,000 entries/s | 215,752 | met |

                """);
        assertThat(page).contains("new section").doesNotContain("old body").doesNotContain("0.57x").doesNotContain("old floor")
                .endsWith("## Reproduce\n");
    }

    /** PAGE after a ring run with {@code floors}. */
    private static String newPage(List<Floors.Floor> floors) {
        return RingBench.syncFloors(RingBench.splice(PAGE, RingBench.BEGIN + "\nnew section\n" + RingBench.END + "\n"), floors);
    }

    private static String floorTable(String page) {
        return page.substring(page.indexOf("| floor |"), page.indexOf(RingBench.BEGIN));
    }

    @Test
    void shouldReplaceKafkasRowWhenTheRunMeasuredKafkaToo() {
        List<Floors.Floor> floors = List.of(new Floors.Floor("lossy ring >= 1.0x", "1.26x", "met"),
                new Floors.Floor("Kafka reporter >= 200,000 entries/s", "301,000", "met"));
        assertThat(floorTable(newPage(floors))).isEqualTo("""
                | floor | measured | verdict |
                |---|---|---|
                | lossy ring >= 1.0x | 1.26x | met |
                | Kafka reporter >= 200,000 entries/s | 301,000 | met |

                """);
    }

    @Test
    void shouldLeaveAPageWithoutTheFloorTableAsItIs() {
        String page = RingBench.BEGIN + "\nsection\n" + RingBench.END + "\n";
        assertThat(RingBench.syncFloors(page, List.of(new Floors.Floor("f", "m", "met")))).isEqualTo(page);
    }
}
