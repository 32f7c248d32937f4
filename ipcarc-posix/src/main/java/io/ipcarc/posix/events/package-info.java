/**
 * The JFR events of ipcarc-posix ({@code jdk.jfr}): lock waits over a threshold, owner deaths
 * recovered, holders reaped. Each is made only on a slow path; docs/operations.md lists them.
 */
package io.ipcarc.posix.events;
