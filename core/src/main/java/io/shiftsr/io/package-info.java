/**
 * Atomic file writes, the check before a file is read whole, the clock of an upscale's stages, and messages kept to one line.
 *
 * <p><b>Internal:</b> not part of ShiftSR's public API and may change in any release; use
 * {@link io.shiftsr.ShiftSr}.
 */
package io.shiftsr.io;
