/**
 * Tiled, streamed sampling of a model over an image of any size.
 *
 * <p><b>Internal:</b> not part of ShiftSR's public API and may change in any release; use
 * {@link io.shiftsr.ShiftSr}.
 */
package io.shiftsr.inference;
