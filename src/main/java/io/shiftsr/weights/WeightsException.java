package io.shiftsr.weights;

/** A weights file that cannot be used, with a one-line reason naming the file. */
public final class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(message);
    }
}
