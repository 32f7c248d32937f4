/**
 * The service interface between the IpcArc API and its implementations.
 */
package io.ipcarc.spi;
