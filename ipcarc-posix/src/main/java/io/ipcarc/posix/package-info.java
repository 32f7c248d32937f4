/**
 * The POSIX implementation of IpcArc: shm_open, posix_fallocate, mmap and a robust
 * process-shared pthread mutex, bound through jnr-ffi. See docs/design.md for the layout and
 * the protocols.
 */
package io.ipcarc.posix;
