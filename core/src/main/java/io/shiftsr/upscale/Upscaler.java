package io.shiftsr.upscale;

import io.shiftsr.image.Image;

/**
 * One way of making a larger image from a smaller one. Implementations get the colour planes only (the CLI
 * resizes alpha itself with bicubic) and return an image of MatlabBicubic.outputSize(size, scale) per axis.
 */
public interface Upscaler {
    Image upscale(Image lr, double scale);
}
