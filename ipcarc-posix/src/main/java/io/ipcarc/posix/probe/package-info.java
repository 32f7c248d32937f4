/**
 * A small supported surface for ipcarc's own benchmarks and stress tests: which native binding
 * this JVM uses, the header words of an open arc as the library itself loads and stores them, and
 * the sleep step of a change wait. Not for applications: it lets a caller break the lock protocol
 * (a benchmark stores words the way the library does, to time each step). Exported so that the
 * benchmark and jcstress modules reach it on the module path as on the class path, without
 * reflection into the provider's insides; it may change in any release.
 */
package io.ipcarc.posix.probe;
