/**
 * Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder}s for IpcArc: a segment's
 * refcount, holders, lock waits, owner deaths, reaps and change waiters
 * ({@link io.ipcarc.micrometer.IpcArcMetrics}), and a ring's write position and rate and each
 * reader's position, lag, losses and state ({@link io.ipcarc.micrometer.RingMetrics}), and a map's
 * size, capacity, changes, lock waits, owner deaths and repairs ({@link io.ipcarc.micrometer.IpcMapMetrics}).
 * docs/operations.md lists every meter with its unit.
 */
package io.ipcarc.micrometer;
