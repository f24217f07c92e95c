/**
 * The residual-shifting processes (ResShift, DeltaDiff): schedule, forward process, posterior, training objective.
 *
 * <p><b>Internal:</b> not part of ShiftSR's public API and may change in any release; use
 * {@link io.shiftsr.ShiftSr}.
 */
package io.shiftsr.diffusion;
