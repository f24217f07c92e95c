/**
 * The tensor engine: libtorch through the Bytedeco JavaCPP presets.
 *
 * <p><b>Internal:</b> not part of ShiftSR's public API and may change in any release; use
 * {@link io.shiftsr.ShiftSr}.
 */
package io.shiftsr.engine;
