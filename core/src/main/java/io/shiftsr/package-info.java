/**
 * ShiftSR, diffusion-based image super-resolution on the JVM. {@link io.shiftsr.ShiftSr} is the public API;
 * the subpackages are internal.
 */
package io.shiftsr;
