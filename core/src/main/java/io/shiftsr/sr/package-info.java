/**
 * The loaded model: network, schedule, codec, trained scales and process presets.
 *
 * <p><b>Public</b> as far as {@link io.shiftsr.ShiftSr#model()} returns it: the queries of
 * {@link io.shiftsr.sr.ShiftSrModel} (trained scales, steps, FLOPs) and {@link io.shiftsr.sr.ShiftSrModel.Process};
 * also {@link io.shiftsr.sr.Denoise}, the facade's {@code --denoise} choice, and {@link
 * io.shiftsr.sr.DegradationLevel.Reading}, what an upscale tells the model about its input.
 * Its constructors and the tensor-level methods are internal and may change in any release.
 */
package io.shiftsr.sr;
