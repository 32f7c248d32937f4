/**
 * The JFR event of ipcarc-kafka ({@code jdk.jfr}): the forwarder's transaction commits.
 * docs/operations.md lists it with the events of ipcarc-posix and ipcarc-ring.
 */
package io.ipcarc.kafka.events;
