/**
 * The JFR events of ipcarc-ring ({@code jdk.jfr}): a lossy reader lapped by the writer, a lossless
 * writer blocked on a slow reader. Each is made only on a slow path; docs/operations.md lists them.
 */
package io.ipcarc.ring.events;
