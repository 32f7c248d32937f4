/**
 * Child JVMs as the example apps, the benchmarks and the tests start them: {@link io.ipcarc.launcher.JavaCommand}
 * composes the command line (this {@code java} or another, native access on JDK 22+, the
 * {@code -Dipcarc.native} choice passed on, a class path or an executable jar, a prefix that runs
 * {@code java} as another user), {@link io.ipcarc.launcher.ChildJvm} runs it with its output lines
 * collected and sends it signals; {@link io.ipcarc.launcher.Allocation} reads a thread's allocation
 * counter, which the apps print and the benchmarks' children report. Depends on nothing of the library.
 */
package io.ipcarc.launcher;
