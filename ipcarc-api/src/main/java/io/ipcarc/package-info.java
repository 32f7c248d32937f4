/**
 * IpcArc: typed, reference-counted values in POSIX shared memory, guarded by a robust
 * process-shared lock. Start with {@link io.ipcarc.IpcArc}.
 */
package io.ipcarc;
