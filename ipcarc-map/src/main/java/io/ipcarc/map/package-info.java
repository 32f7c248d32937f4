/**
 * A map of many typed keys and values in one IpcArc segment, shared by processes: lock-free,
 * never-torn reads; writes under striped robust locks, crash-atomic at every instant, repaired by
 * the next writer of a stripe whose holder was killed. Start at {@link io.ipcarc.map.IpcMap};
 * docs/map.md gives the layout and every protocol with its crash points.
 */
package io.ipcarc.map;
