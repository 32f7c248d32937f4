/**
 * The {@code ipcarc} command-line tool ({@link io.ipcarc.cli.Main}): {@code ls}, {@code inspect},
 * {@code gc} and {@code rm} over {@link io.ipcarc.IpcArcs}. See docs/operations.md.
 */
package io.ipcarc.cli;
