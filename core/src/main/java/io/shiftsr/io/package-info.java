/**
 * Atomic file writes, and the clock of an upscale's stages.
 *
 * <p><b>Internal:</b> not part of ShiftSR's public API and may change in any release; use
 * {@link io.shiftsr.ShiftSr}.
 */
package io.shiftsr.io;
