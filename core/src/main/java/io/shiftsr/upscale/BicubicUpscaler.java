package io.shiftsr.upscale;

import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;

/** The baseline: MATLAB-compatible bicubic (DESIGN.md section 7). Also y0 of the diffusion model. */
public final class BicubicUpscaler implements Upscaler {
    @Override
    public Image upscale(Image lr, double scale) {
        return MatlabBicubic.resize(lr, scale);
    }
}
