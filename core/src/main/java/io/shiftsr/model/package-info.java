/**
 * The networks (the dual-domain UNet and the residual body); they know nothing of diffusion or files.
 *
 * <p><b>Internal:</b> not part of ShiftSR's public API and may change in any release; use
 * {@link io.shiftsr.ShiftSr}.
 */
package io.shiftsr.model;
