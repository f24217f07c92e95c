/**
 * Image files and pixels: reading, writing, metadata, MATLAB-style bicubic, degradation.
 *
 * <p><b>Public</b> (used by {@link io.shiftsr.ShiftSr}'s signatures): {@link io.shiftsr.image.Image},
 * {@link io.shiftsr.image.ImageMetadata}, {@link io.shiftsr.image.ImageException},
 * {@link io.shiftsr.image.ImageReading}, {@link io.shiftsr.image.ImageWriting}. Everything else here is internal
 * and may change in any release.
 */
package io.shiftsr.image;
