package io.ipcarc.cli;

import picocli.CommandLine.Option;

/** The {@code --prefix} option that {@code ls} and {@code gc} share (a picocli mixin). */
final class PrefixOption {
    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "/",
            description = "Only names that start with PREFIX, such as /myapp- (default: all).")
    String prefix;

    /** @return the prefix, normalised to a leading slash */
    String normalized() {
        return SegmentFormat.prefix(prefix);
    }
}
