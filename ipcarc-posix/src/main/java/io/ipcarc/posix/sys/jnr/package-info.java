/**
 * libc as the jnr-ffi binding declares it ({@link io.ipcarc.posix.sys.jnr.LibC}): exported by
 * the module only because jnr-ffi's generated implementation lives in an unnamed module. Not an
 * API: nothing here is meant to be called by applications.
 */
package io.ipcarc.posix.sys.jnr;
